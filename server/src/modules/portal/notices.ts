import type { Locale } from '../../platform/i18n/messages.js';
import { formatLetterDate } from '../documents/index.js';
import type { MailText } from './mails.js';

/**
 * The portal's notices about cases, in the four languages: what happened, what (if anything) the
 * person has to do and by when, and the link to the status page. The details stay behind the
 * sign-in; a mail never carries more than the reference and the kind of case.
 */

const greeting: Record<Locale, (name: string) => string> = {
  de: (name) => `Guten Tag ${name}`,
  fr: (name) => `Bonjour ${name}`,
  it: (name) => `Buongiorno ${name}`,
  en: (name) => `Hello ${name}`,
};

function letter(language: Locale, office: string, name: string, paragraphs: string[]): string {
  return [greeting[language](name), ...paragraphs, office].join('\n\n');
}


// --- an application was sent -----------------------------------------------------------------------

export function applicationSentMail(language: Locale, c: { office: string; name: string; form: string; reference: string; interim: boolean }): MailText {
  const texts: Record<Locale, MailText> = {
    de: {
      subject: `${c.office}: Wir haben Ihren Antrag erhalten (${c.reference})`,
      text: letter('de', c.office, c.name, [
        `Vielen Dank. Ihr Antrag «${c.form}» ist bei uns angekommen. Das Aktenzeichen ist ${c.reference}.`,
        ...(c.interim ? ['Ihre Bestätigung, dass Sie während des Verfahrens bleiben dürfen, liegt im Online-Schalter zum Herunterladen bereit.'] : []),
        'Im Online-Schalter sehen Sie jederzeit, wie weit Ihr Antrag ist. Brauchen wir noch etwas, schreiben wir Ihnen.',
      ]),
    },
    fr: {
      subject: `${c.office} : nous avons reçu votre demande (${c.reference})`,
      text: letter('fr', c.office, c.name, [
        `Merci. Votre demande « ${c.form} » nous est parvenue. La référence est ${c.reference}.`,
        ...(c.interim ? ['Votre attestation, qui confirme que vous pouvez rester pendant la procédure, peut être téléchargée au guichet en ligne.'] : []),
        'Au guichet en ligne, vous voyez à tout moment où en est votre demande. S’il nous faut autre chose, nous vous écrirons.',
      ]),
    },
    it: {
      subject: `${c.office}: abbiamo ricevuto la Sua domanda (${c.reference})`,
      text: letter('it', c.office, c.name, [
        `Grazie. La Sua domanda «${c.form}» ci è arrivata. Il riferimento è ${c.reference}.`,
        ...(c.interim ? ['La Sua conferma, che attesta che può restare durante la procedura, è pronta da scaricare allo sportello online.'] : []),
        'Allo sportello online vede in ogni momento a che punto è la Sua domanda. Se ci serve altro, Le scriviamo.',
      ]),
    },
    en: {
      subject: `${c.office}: we have received your application (${c.reference})`,
      text: letter('en', c.office, c.name, [
        `Thank you. Your application "${c.form}" has reached us. The reference is ${c.reference}.`,
        ...(c.interim ? ['Your confirmation that you may stay while we decide is ready to download at the online counter.'] : []),
        'At the online counter you can see at any time how far your application is. If we need anything else, we will write to you.',
      ]),
    },
  };
  return texts[language];
}

// --- a case changed -------------------------------------------------------------------------------------

export interface CaseNoticeContext {
  office: string;
  name: string;
  reference: string;
  link: string;
  /** The office needs something from the person (a waiting state): the papers and the date. */
  needs: { items: string[]; by: string | null } | null;
  /** Titles of the new letters. */
  letters: string[];
}

export function caseChangeMail(language: Locale, c: CaseNoticeContext): MailText {
  const by = c.needs?.by ? formatLetterDate(c.needs.by, language) : null;
  const list = (items: string[]) => items.map((item) => `- ${item}`).join('\n');
  const texts: Record<Locale, MailText> = {
    de: {
      subject: c.needs ? `${c.office}: Wir brauchen noch etwas von Ihnen (${c.reference})` : `${c.office}: Neues zu Ihrem Fall ${c.reference}`,
      text: letter('de', c.office, c.name, [
        ...(c.needs ? [`Für Ihren Fall ${c.reference} brauchen wir noch etwas von Ihnen${by ? `, bitte bis ${by}` : ''}:`, list(c.needs.items.length > 0 ? c.needs.items : ['Details siehe Brief'])] : [`Es gibt Neues zu Ihrem Fall ${c.reference}.`]),
        ...(c.letters.length > 0 ? [`Neuer Brief: ${c.letters.join(', ')}`] : []),
        `Alles Weitere sehen Sie im Online-Schalter. Dort können Sie Dokumente hochladen und uns schreiben:\n${c.link}`,
      ]),
    },
    fr: {
      subject: c.needs ? `${c.office} : il nous faut encore quelque chose (${c.reference})` : `${c.office} : du nouveau dans votre dossier ${c.reference}`,
      text: letter('fr', c.office, c.name, [
        ...(c.needs ? [`Pour votre dossier ${c.reference}, il nous faut encore quelque chose${by ? `, d’ici au ${by}` : ''} :`, list(c.needs.items.length > 0 ? c.needs.items : ['voir la lettre'])] : [`Il y a du nouveau dans votre dossier ${c.reference}.`]),
        ...(c.letters.length > 0 ? [`Nouvelle lettre : ${c.letters.join(', ')}`] : []),
        `Vous trouvez tout au guichet en ligne. Vous pouvez y téléverser des documents et nous écrire :\n${c.link}`,
      ]),
    },
    it: {
      subject: c.needs ? `${c.office}: ci serve ancora qualcosa da Lei (${c.reference})` : `${c.office}: novità sul Suo incarto ${c.reference}`,
      text: letter('it', c.office, c.name, [
        ...(c.needs ? [`Per il Suo incarto ${c.reference} ci serve ancora qualcosa${by ? `, entro il ${by}` : ''}:`, list(c.needs.items.length > 0 ? c.needs.items : ['vedi la lettera'])] : [`Ci sono novità sul Suo incarto ${c.reference}.`]),
        ...(c.letters.length > 0 ? [`Nuova lettera: ${c.letters.join(', ')}`] : []),
        `Trova tutto allo sportello online. Lì può caricare documenti e scriverci:\n${c.link}`,
      ]),
    },
    en: {
      subject: c.needs ? `${c.office}: we need something from you (${c.reference})` : `${c.office}: news on your case ${c.reference}`,
      text: letter('en', c.office, c.name, [
        ...(c.needs ? [`For your case ${c.reference} we still need something from you${by ? `, by ${by}` : ''}:`, list(c.needs.items.length > 0 ? c.needs.items : ['see the letter'])] : [`There is news on your case ${c.reference}.`]),
        ...(c.letters.length > 0 ? [`New letter: ${c.letters.join(', ')}`] : []),
        `You find everything at the online counter. There you can upload documents and write to us:\n${c.link}`,
      ]),
    },
  };
  return texts[language];
}

export function officeMessageMail(language: Locale, c: { office: string; name: string; reference: string; link: string }): MailText {
  const texts: Record<Locale, MailText> = {
    de: { subject: `${c.office}: Neue Nachricht zu Ihrem Fall ${c.reference}`, text: letter('de', c.office, c.name, [`Sie haben eine neue Nachricht zu Ihrem Fall ${c.reference}. Lesen und beantworten Sie sie im Online-Schalter:\n${c.link}`]) },
    fr: { subject: `${c.office} : nouveau message dans votre dossier ${c.reference}`, text: letter('fr', c.office, c.name, [`Vous avez un nouveau message dans votre dossier ${c.reference}. Lisez-le et répondez au guichet en ligne :\n${c.link}`]) },
    it: { subject: `${c.office}: nuovo messaggio sul Suo incarto ${c.reference}`, text: letter('it', c.office, c.name, [`Ha un nuovo messaggio sul Suo incarto ${c.reference}. Lo legga e risponda allo sportello online:\n${c.link}`]) },
    en: { subject: `${c.office}: new message on your case ${c.reference}`, text: letter('en', c.office, c.name, [`You have a new message on your case ${c.reference}. Read and answer it at the online counter:\n${c.link}`]) },
  };
  return texts[language];
}

// --- the permit expires soon --------------------------------------------------------------------------

export function expiryMail(language: Locale, c: { office: string; name: string; category: string; validUntil: string; link: string; forSelf: boolean; personName: string }): MailText {
  const until = formatLetterDate(c.validUntil, language);
  const texts: Record<Locale, MailText> = {
    de: {
      subject: `${c.office}: ${c.forSelf ? 'Ihre' : 'Die'} Bewilligung ${c.category} läuft am ${until} ab`,
      text: letter('de', c.office, c.name, [
        `${c.forSelf ? 'Ihre' : `Die`} Bewilligung ${c.category}${c.forSelf ? '' : ` von ${c.personName}`} gilt bis ${until}.`,
        `Beantragen Sie die Verlängerung bitte jetzt, vor diesem Datum. Mit diesem Link ist der Antrag schon ausgefüllt, soweit wir die Angaben kennen:\n${c.link}`,
        'Ist der Antrag vollständig und vor dem Ablauf bei uns, erhalten Sie sofort eine Bestätigung, dass Sie während des Verfahrens bleiben dürfen.',
      ]),
    },
    fr: {
      subject: `${c.office} : ${c.forSelf ? 'votre' : 'l’'} autorisation ${c.category} expire le ${until}`,
      text: letter('fr', c.office, c.name, [
        `${c.forSelf ? 'Votre' : 'L’'} autorisation ${c.category}${c.forSelf ? '' : ` de ${c.personName}`} est valable jusqu’au ${until}.`,
        `Demandez la prolongation maintenant, avant cette date. Avec ce lien, la demande est déjà remplie avec ce que nous savons :\n${c.link}`,
        'Si la demande complète nous parvient avant l’échéance, vous recevez tout de suite une attestation que vous pouvez rester pendant la procédure.',
      ]),
    },
    it: {
      subject: `${c.office}: ${c.forSelf ? 'il Suo' : 'il'} permesso ${c.category} scade il ${until}`,
      text: letter('it', c.office, c.name, [
        `${c.forSelf ? 'Il Suo' : 'Il'} permesso ${c.category}${c.forSelf ? '' : ` di ${c.personName}`} è valido fino al ${until}.`,
        `Chieda il rinnovo adesso, prima di questa data. Con questo link la domanda è già compilata con i dati che conosciamo:\n${c.link}`,
        'Se la domanda completa ci arriva prima della scadenza, riceve subito una conferma che può restare durante la procedura.',
      ]),
    },
    en: {
      subject: `${c.office}: ${c.forSelf ? 'your' : 'the'} permit ${c.category} expires on ${until}`,
      text: letter('en', c.office, c.name, [
        `${c.forSelf ? 'Your' : 'The'} permit ${c.category}${c.forSelf ? '' : ` of ${c.personName}`} is valid until ${until}.`,
        `Please apply for the extension now, before that date. With this link the application is already filled in with what we know:\n${c.link}`,
        'If the complete application reaches us before the permit expires, you get a confirmation at once that you may stay while we decide.',
      ]),
    },
  };
  return texts[language];
}
