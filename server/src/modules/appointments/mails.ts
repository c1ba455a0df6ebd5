import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { NewMail } from '../../platform/mail/index.js';
import type { Language } from './repository.js';
import { localParts } from './rules.js';

/**
 * The mails of the appointments module in the invitation's language: the invitation with its
 * booking link, the confirmation with an iCalendar invitation (METHOD:REQUEST), the cancellation
 * (METHOD:CANCEL), the reminder the day before.
 */

export interface AppointmentFacts {
  tenantId: string;
  tenantName: string;
  to: string;
  language: Language;
  serviceName: string;
  servicePointName: string;
  address: string;
  timeZone: string;
}

export interface BookedFacts extends AppointmentFacts {
  bookingId: string;
  startsAt: Date;
  endsAt: Date;
  sequence: number;
}

const LOCALE: Record<Language, string> = { de: 'de-CH', fr: 'fr-CH', it: 'it-CH', en: 'en-GB' };

function when(facts: { language: Language; timeZone: string }, instant: Date): string {
  return new Intl.DateTimeFormat(LOCALE[facts.language], { timeZone: facts.timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(instant);
}

/** The calendar entry: UID = booking id, start and end in the service point's zone (with its VTIMEZONE), LOCATION = its address. */
export function calendarOf(facts: BookedFacts, method: 'REQUEST' | 'CANCEL'): string {
  const calendar = ical({
    prodId: { company: 'MigraFlow', product: 'Appointments', language: facts.language.toUpperCase() },
    method: method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
    // RFC 5545 wants a VTIMEZONE for every TZID the entry names; Outlook refuses entries without it.
    timezone: { name: facts.timeZone, generator: getVtimezoneComponent },
  });
  const local = (instant: Date) => {
    const parts = localParts(instant, facts.timeZone);
    return `${parts.date}T${parts.time}`;
  };
  calendar.createEvent({
    id: facts.bookingId,
    sequence: facts.sequence,
    stamp: new Date(),
    start: local(facts.startsAt),
    end: local(facts.endsAt),
    timezone: facts.timeZone,
    summary: `${facts.serviceName} – ${facts.tenantName}`,
    location: facts.address,
    status: method === 'REQUEST' ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
  });
  return calendar.toString();
}

function attachment(facts: BookedFacts, method: 'REQUEST' | 'CANCEL'): NonNullable<NewMail['attachments']>[number] {
  return { filename: method === 'REQUEST' ? 'appointment.ics' : 'appointment-cancelled.ics', contentType: `text/calendar; charset=utf-8; method=${method}`, content: calendarOf(facts, method) };
}

const TEXTS = {
  invitation: {
    subject: { de: 'Terminvereinbarung: {service}', fr: 'Prise de rendez-vous : {service}', it: 'Prenotazione di un appuntamento: {service}', en: 'Book an appointment: {service}' },
    body: {
      de: 'Guten Tag\n\nBitte vereinbaren Sie einen Termin ({service}) bei {point}, {address}. Wählen Sie bis {until} einen freien Termin:\n\n{link}\n\nDer Link ist persönlich; geben Sie ihn nicht weiter.\n\nFreundliche Grüsse\n{office}',
      fr: 'Bonjour,\n\nVeuillez prendre rendez-vous ({service}) auprès de {point}, {address}. Choisissez une date libre d’ici au {until} :\n\n{link}\n\nCe lien est personnel ; ne le transmettez pas.\n\nMeilleures salutations\n{office}',
      it: 'Buongiorno\n\nLa preghiamo di prenotare un appuntamento ({service}) presso {point}, {address}. Scelga una data libera entro il {until}:\n\n{link}\n\nIl link è personale; non lo inoltri.\n\nCordiali saluti\n{office}',
      en: 'Hello\n\nPlease book an appointment ({service}) at {point}, {address}. Choose a free time by {until}:\n\n{link}\n\nThe link is personal; do not pass it on.\n\nKind regards\n{office}',
    },
  },
  confirmation: {
    subject: { de: 'Terminbestätigung: {service}, {when}', fr: 'Confirmation de rendez-vous : {service}, {when}', it: 'Conferma dell’appuntamento: {service}, {when}', en: 'Appointment confirmed: {service}, {when}' },
    body: {
      de: 'Guten Tag\n\nIhr Termin ({service}) ist gebucht: {when} bei {point}, {address}. Die Einladung im Anhang können Sie in Ihren Kalender übernehmen. Über den Link aus unserer Einladung können Sie den Termin verschieben oder absagen.\n\nFreundliche Grüsse\n{office}',
      fr: 'Bonjour,\n\nVotre rendez-vous ({service}) est réservé : {when} auprès de {point}, {address}. Vous pouvez reprendre l’invitation jointe dans votre agenda. Le lien de notre invitation vous permet de déplacer ou d’annuler le rendez-vous.\n\nMeilleures salutations\n{office}',
      it: 'Buongiorno\n\nIl Suo appuntamento ({service}) è prenotato: {when} presso {point}, {address}. Può importare l’invito allegato nel Suo calendario. Con il link del nostro invito può spostare o disdire l’appuntamento.\n\nCordiali saluti\n{office}',
      en: 'Hello\n\nYour appointment ({service}) is booked: {when} at {point}, {address}. You can add the attached invitation to your calendar. The link in our invitation lets you move or cancel the appointment.\n\nKind regards\n{office}',
    },
  },
  cancellation: {
    subject: { de: 'Termin abgesagt: {service}, {when}', fr: 'Rendez-vous annulé : {service}, {when}', it: 'Appuntamento disdetto: {service}, {when}', en: 'Appointment cancelled: {service}, {when}' },
    body: {
      de: 'Guten Tag\n\nIhr Termin ({service}) am {when} bei {point} ist abgesagt.\n\nFreundliche Grüsse\n{office}',
      fr: 'Bonjour,\n\nVotre rendez-vous ({service}) du {when} auprès de {point} est annulé.\n\nMeilleures salutations\n{office}',
      it: 'Buongiorno\n\nIl Suo appuntamento ({service}) del {when} presso {point} è disdetto.\n\nCordiali saluti\n{office}',
      en: 'Hello\n\nYour appointment ({service}) on {when} at {point} is cancelled.\n\nKind regards\n{office}',
    },
  },
  reminder: {
    subject: { de: 'Erinnerung: Ihr Termin morgen, {when}', fr: 'Rappel : votre rendez-vous demain, {when}', it: 'Promemoria: il Suo appuntamento domani, {when}', en: 'Reminder: your appointment tomorrow, {when}' },
    body: {
      de: 'Guten Tag\n\nWir erinnern Sie an Ihren Termin ({service}) morgen, {when}, bei {point}, {address}. Bringen Sie bitte Ihren Ausweis mit.\n\nFreundliche Grüsse\n{office}',
      fr: 'Bonjour,\n\nNous vous rappelons votre rendez-vous ({service}) demain, {when}, auprès de {point}, {address}. Veuillez apporter votre pièce d’identité.\n\nMeilleures salutations\n{office}',
      it: 'Buongiorno\n\nLe ricordiamo il Suo appuntamento ({service}) domani, {when}, presso {point}, {address}. Porti con sé un documento d’identità.\n\nCordiali saluti\n{office}',
      en: 'Hello\n\nThis is a reminder of your appointment ({service}) tomorrow, {when}, at {point}, {address}. Please bring your identity document.\n\nKind regards\n{office}',
    },
  },
} satisfies Record<string, { subject: Record<Language, string>; body: Record<Language, string> }>;

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function values(facts: AppointmentFacts, extra: Record<string, string>): Record<string, string> {
  return { service: facts.serviceName, point: facts.servicePointName, address: facts.address, office: facts.tenantName, ...extra };
}

function mail(facts: AppointmentFacts, kind: keyof typeof TEXTS, extra: Record<string, string>, attachments: NewMail['attachments'] = []): NewMail {
  const v = values(facts, extra);
  // A subject must stay on one line.
  return { tenantId: facts.tenantId, to: facts.to, subject: fill(TEXTS[kind].subject[facts.language], v).replace(/[\r\n]+/g, ' '), text: fill(TEXTS[kind].body[facts.language], v), attachments: attachments ?? [], purpose: 'appointment' };
}

export function invitationMail(facts: AppointmentFacts, link: string, validUntil: Date): NewMail {
  const until = new Intl.DateTimeFormat(LOCALE[facts.language], { timeZone: facts.timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(validUntil);
  return mail(facts, 'invitation', { link, until });
}

export function confirmationMail(facts: BookedFacts): NewMail {
  return mail(facts, 'confirmation', { when: when(facts, facts.startsAt) }, [attachment(facts, 'REQUEST')]);
}

export function cancellationMail(facts: BookedFacts): NewMail {
  return mail(facts, 'cancellation', { when: when(facts, facts.startsAt) }, [attachment(facts, 'CANCEL')]);
}

export function reminderMail(facts: BookedFacts): NewMail {
  return mail(facts, 'reminder', { when: when(facts, facts.startsAt) });
}
