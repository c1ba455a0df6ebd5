import { formatLetterDate, type Letterhead } from '../documents/index.js';
import { createPdf } from '../../platform/pdf.js';
import { formatDateTime } from '../../platform/i18n/translate.js';
import type { AccessReport } from './access-report.js';

/** The access report as a PDF in de/fr/it/en: letterhead as on the office's letters, one heading per kind of data, page numbers. */

export type ReportLanguage = 'de' | 'fr' | 'it' | 'en';

interface FinanceLabels {
  invoice: string;
  amount: string;
  paid: string;
  issued: string;
  due: string;
  paidOn: string;
  reminder: string;
  payment: string;
  booked: string;
  deposit: string;
  held: string;
  ordered: string;
  settled: string;
  waiverReason: string;
  kinds: Record<string, string>;
  statuses: Record<string, string>;
  sources: Record<string, string>;
}

interface PortalLabels {
  account: string;
  accountKinds: Record<string, string>;
  created: string;
  verified: string;
  notVerified: string;
  linked: string;
  mandate: string;
  scopes: Record<string, string>;
  openEnded: string;
  grantedBy: Record<string, string>;
  mandateStates: Record<string, string>;
  application: string;
  applicationStates: Record<string, string>;
  started: string;
  changed: string;
  submitted: string;
  upload: string;
  directions: Record<string, string>;
  read: string;
  unread: string;
  shareCode: string;
  validUntil: string;
  revoked: string;
  views: string;
  lastViewed: string;
  linkCode: string;
  used: string;
  unused: string;
  failedAttempts: string;
  expiryNotice: string;
  sent: string;
  permitValidUntil: string;
  recipients: string;
}

interface Labels {
  title: string;
  about: string;
  born: string;
  asOf: string;
  by: string;
  intro: string;
  page: string;
  none: string;
  sections: Record<'identity' | 'history' | 'residences' | 'relations' | 'papers' | 'permits' | 'cases' | 'documents' | 'finance' | 'portal' | 'deadlines' | 'notifications' | 'holds' | 'accesses', string>;
  fields: Record<string, string>;
  finance: FinanceLabels;
  portal: PortalLabels;
  kinds: Record<'listed' | 'read' | 'changed', string>;
  roles: Record<string, string>;
  yes: string;
  no: string;
}

const LABELS: Record<ReportLanguage, Labels> = {
  de: {
    title: 'Auskunft über Personendaten',
    about: 'Betroffene Person',
    born: 'geboren',
    asOf: 'Stand',
    by: 'erstellt von',
    intro: 'Diese Auskunft enthält alle Daten, die das Amt über Sie bearbeitet, und wer wann darauf zugegriffen hat (Auskunftsrecht nach Datenschutzgesetz und NG § 12).',
    page: 'Seite',
    none: 'keine',
    sections: { identity: 'Identität', history: 'Verlauf der Identität', residences: 'Wohnsitze', relations: 'Beziehungen', papers: 'Hinterlegte Schriften', permits: 'Bewilligungen', cases: 'Fälle', documents: 'Dokumente', finance: 'Rechnungen, Zahlungen und Kautionen', portal: 'Online-Portal', deadlines: 'Fristen', notifications: 'Mitteilungen', holds: 'Rechtliche Sperren (Aufbewahrung)', accesses: 'Zugriffe auf Ihre Daten' },
    fields: { ahvn13: 'AHV-Nummer', officialName: 'Amtlicher Name', firstNames: 'Vornamen', callName: 'Rufname', maidenName: 'Ledigname', allianceName: 'Allianzname', nameInForeignPassport: 'Name im ausländischen Pass', aliasName: 'Andere Namen', sex: 'Geschlecht', dateOfBirth: 'Geburtsdatum', placeOfBirth: 'Geburtsort', countryOfBirth: 'Geburtsland', nationality: 'Staatsangehörigkeit', placeOfOrigin: 'Heimatort', civilStatus: 'Zivilstand', civilStatusDate: 'Zivilstand seit', fatherName: 'Vater', motherName: 'Mutter', legalCapacity: 'Handlungsfähigkeit', fireServiceDuty: 'Feuerwehrpflicht', religion: 'Religion', blockingNote: 'Sperrvermerk', papersBlock: 'Schriftensperre', tasks: 'Aufgaben', events: 'Verlauf', decision: 'Entscheid' },
    finance: {
      invoice: 'Rechnung',
      amount: 'Betrag',
      paid: 'bezahlt',
      issued: 'ausgestellt',
      due: 'fällig',
      paidOn: 'bezahlt am',
      reminder: 'Mahnstufe',
      payment: 'Zahlung',
      booked: 'davon verbucht',
      deposit: 'Kaution',
      held: 'beim Amt',
      ordered: 'angeordnet',
      settled: 'abgerechnet',
      waiverReason: 'Begründung des Verzichts',
      kinds: { fee: 'Gebühr', fine: 'Busse', deposit: 'Kaution' },
      statuses: { open: 'offen', paid: 'bezahlt', waived: 'erlassen', cancelled: 'storniert' },
      sources: { bank: 'Bank', counter: 'Schalter', deposit: 'mit Kaution verrechnet' },
    },
    portal: {
      account: 'Portal-Konto',
      accountKinds: { applicant: 'Gesuchsteller/in', employer: 'Arbeitgeber', representative: 'Vertretung' },
      created: 'eröffnet',
      verified: 'Adresse bestätigt',
      notVerified: 'Adresse nicht bestätigt',
      linked: 'mit Ihren Daten verknüpft',
      mandate: 'Vollmacht an',
      scopes: { applications: 'Gesuche', status: 'Stand der Fälle', messages: 'Nachrichten', appointments: 'Termine', documents: 'Dokumente' },
      openEnded: 'unbefristet',
      grantedBy: { person: 'von Ihnen erteilt', staff: 'beim Amt erfasst' },
      mandateStates: { active: 'gültig', future: 'noch nicht gültig', expired: 'abgelaufen', revoked: 'widerrufen' },
      application: 'Online-Gesuch',
      applicationStates: { draft: 'Entwurf', submitted: 'eingereicht' },
      started: 'begonnen',
      changed: 'geändert',
      submitted: 'eingereicht',
      upload: 'Beilage im Entwurf',
      directions: { in: 'an das Amt', out: 'vom Amt' },
      read: 'gelesen',
      unread: 'ungelesen',
      shareCode: 'Freigabecode',
      validUntil: 'gültig bis',
      revoked: 'widerrufen',
      views: 'Abrufe',
      lastViewed: 'zuletzt abgerufen',
      linkCode: 'Verknüpfungscode',
      used: 'verwendet',
      unused: 'nicht verwendet',
      failedAttempts: 'Fehlversuche',
      expiryNotice: 'Hinweis auf den Ablauf der Bewilligung',
      sent: 'gesendet',
      permitValidUntil: 'Bewilligung gültig bis',
      recipients: 'Empfänger',
    },
    kinds: { listed: 'in einer Liste angezeigt', read: 'angesehen', changed: 'bearbeitet' },
    roles: { caseworker: 'Sachbearbeitung', 'team-lead': 'Teamleitung', 'municipal-clerk': 'Einwohnerkontrolle', admin: 'Administration', auditor: 'Revision', applicant: 'Gesuchsteller', partner: 'Partnersystem' },
    yes: 'ja',
    no: 'nein',
  },
  fr: {
    title: 'Renseignements sur les données personnelles',
    about: 'Personne concernée',
    born: 'née/né le',
    asOf: 'État au',
    by: 'établi par',
    intro: 'Ces renseignements contiennent toutes les données que l’office traite à votre sujet, et qui y a accédé et quand (droit d’accès selon la loi sur la protection des données et la LEtab § 12).',
    page: 'page',
    none: 'aucune',
    sections: { identity: 'Identité', history: 'Historique de l’identité', residences: 'Domiciles', relations: 'Relations', papers: 'Papiers déposés', permits: 'Autorisations', cases: 'Dossiers', documents: 'Documents', finance: 'Factures, paiements et cautions', portal: 'Portail en ligne', deadlines: 'Délais', notifications: 'Notifications', holds: 'Blocages juridiques (conservation)', accesses: 'Accès à vos données' },
    fields: { ahvn13: 'Numéro AVS', officialName: 'Nom officiel', firstNames: 'Prénoms', callName: 'Prénom usuel', maidenName: 'Nom de célibataire', allianceName: 'Nom d’alliance', nameInForeignPassport: 'Nom dans le passeport étranger', aliasName: 'Autres noms', sex: 'Sexe', dateOfBirth: 'Date de naissance', placeOfBirth: 'Lieu de naissance', countryOfBirth: 'Pays de naissance', nationality: 'Nationalité', placeOfOrigin: 'Lieu d’origine', civilStatus: 'État civil', civilStatusDate: 'État civil depuis', fatherName: 'Père', motherName: 'Mère', legalCapacity: 'Capacité civile', fireServiceDuty: 'Obligation de servir dans les pompiers', religion: 'Religion', blockingNote: 'Blocage de la communication', papersBlock: 'Blocage des papiers', tasks: 'Tâches', events: 'Historique', decision: 'Décision' },
    finance: {
      invoice: 'Facture',
      amount: 'Montant',
      paid: 'payé',
      issued: 'émise le',
      due: 'échéance',
      paidOn: 'payée le',
      reminder: 'Niveau de rappel',
      payment: 'Paiement',
      booked: 'dont comptabilisé',
      deposit: 'Caution',
      held: 'détenu par l’office',
      ordered: 'ordonnée le',
      settled: 'décomptée le',
      waiverReason: 'Motif de la renonciation',
      kinds: { fee: 'Émolument', fine: 'Amende', deposit: 'Caution' },
      statuses: { open: 'ouverte', paid: 'payée', waived: 'remise', cancelled: 'annulée' },
      sources: { bank: 'banque', counter: 'guichet', deposit: 'compensé avec la caution' },
    },
    portal: {
      account: 'Compte du portail',
      accountKinds: { applicant: 'Requérant/e', employer: 'Employeur', representative: 'Représentation' },
      created: 'ouvert le',
      verified: 'adresse confirmée le',
      notVerified: 'adresse non confirmée',
      linked: 'lié à vos données le',
      mandate: 'Procuration à',
      scopes: { applications: 'demandes', status: 'état des dossiers', messages: 'messages', appointments: 'rendez-vous', documents: 'documents' },
      openEnded: 'sans limite',
      grantedBy: { person: 'donnée par vous', staff: 'enregistrée par l’office' },
      mandateStates: { active: 'valable', future: 'pas encore valable', expired: 'expirée', revoked: 'révoquée' },
      application: 'Demande en ligne',
      applicationStates: { draft: 'brouillon', submitted: 'envoyée' },
      started: 'commencée le',
      changed: 'modifiée le',
      submitted: 'envoyée le',
      upload: 'Pièce du brouillon',
      directions: { in: 'à l’office', out: 'de l’office' },
      read: 'lu',
      unread: 'non lu',
      shareCode: 'Code de partage',
      validUntil: 'valable jusqu’au',
      revoked: 'retiré le',
      views: 'consultations',
      lastViewed: 'dernière consultation',
      linkCode: 'Code de liaison',
      used: 'utilisé le',
      unused: 'non utilisé',
      failedAttempts: 'tentatives erronées',
      expiryNotice: 'Avis d’échéance de l’autorisation',
      sent: 'envoyé le',
      permitValidUntil: 'autorisation valable jusqu’au',
      recipients: 'destinataires',
    },
    kinds: { listed: 'affiché dans une liste', read: 'consulté', changed: 'modifié' },
    roles: { caseworker: 'Gestion des dossiers', 'team-lead': 'Responsable d’équipe', 'municipal-clerk': 'Contrôle des habitants', admin: 'Administration', auditor: 'Révision', applicant: 'Requérant', partner: 'Système partenaire' },
    yes: 'oui',
    no: 'non',
  },
  it: {
    title: 'Informazioni sui dati personali',
    about: 'Persona interessata',
    born: 'nata/o il',
    asOf: 'Stato al',
    by: 'allestito da',
    intro: 'Queste informazioni contengono tutti i dati che l’ufficio tratta su di lei, e chi vi ha avuto accesso e quando (diritto d’accesso secondo la legge sulla protezione dei dati e la legge sul domicilio § 12).',
    page: 'pagina',
    none: 'nessuno',
    sections: { identity: 'Identità', history: 'Cronologia dell’identità', residences: 'Domicili', relations: 'Relazioni', papers: 'Documenti depositati', permits: 'Permessi', cases: 'Incarti', documents: 'Documenti', finance: 'Fatture, pagamenti e cauzioni', portal: 'Portale online', deadlines: 'Termini', notifications: 'Notifiche', holds: 'Blocchi giuridici (conservazione)', accesses: 'Accessi ai suoi dati' },
    fields: { ahvn13: 'Numero AVS', officialName: 'Cognome ufficiale', firstNames: 'Nomi', callName: 'Nome d’uso', maidenName: 'Cognome da nubile', allianceName: 'Cognome coniugale', nameInForeignPassport: 'Nome nel passaporto estero', aliasName: 'Altri nomi', sex: 'Sesso', dateOfBirth: 'Data di nascita', placeOfBirth: 'Luogo di nascita', countryOfBirth: 'Paese di nascita', nationality: 'Cittadinanza', placeOfOrigin: 'Luogo d’origine', civilStatus: 'Stato civile', civilStatusDate: 'Stato civile dal', fatherName: 'Padre', motherName: 'Madre', legalCapacity: 'Capacità civile', fireServiceDuty: 'Obbligo pompieri', religion: 'Religione', blockingNote: 'Blocco della comunicazione', papersBlock: 'Blocco dei documenti', tasks: 'Compiti', events: 'Cronologia', decision: 'Decisione' },
    finance: {
      invoice: 'Fattura',
      amount: 'Importo',
      paid: 'pagato',
      issued: 'emessa il',
      due: 'scadenza',
      paidOn: 'pagata il',
      reminder: 'Livello di sollecito',
      payment: 'Pagamento',
      booked: 'di cui contabilizzato',
      deposit: 'Cauzione',
      held: 'trattenuto dall’ufficio',
      ordered: 'ordinata il',
      settled: 'conteggiata il',
      waiverReason: 'Motivo della rinuncia',
      kinds: { fee: 'Emolumento', fine: 'Multa', deposit: 'Cauzione' },
      statuses: { open: 'aperta', paid: 'pagata', waived: 'condonata', cancelled: 'annullata' },
      sources: { bank: 'banca', counter: 'sportello', deposit: 'compensato con la cauzione' },
    },
    portal: {
      account: 'Conto del portale',
      accountKinds: { applicant: 'Richiedente', employer: 'Datore di lavoro', representative: 'Rappresentanza' },
      created: 'aperto il',
      verified: 'indirizzo confermato il',
      notVerified: 'indirizzo non confermato',
      linked: 'collegato ai suoi dati il',
      mandate: 'Procura a',
      scopes: { applications: 'domande', status: 'stato degli incarti', messages: 'messaggi', appointments: 'appuntamenti', documents: 'documenti' },
      openEnded: 'senza scadenza',
      grantedBy: { person: 'rilasciata da lei', staff: 'registrata dall’ufficio' },
      mandateStates: { active: 'valida', future: 'non ancora valida', expired: 'scaduta', revoked: 'revocata' },
      application: 'Domanda online',
      applicationStates: { draft: 'bozza', submitted: 'inviata' },
      started: 'iniziata il',
      changed: 'modificata il',
      submitted: 'inviata il',
      upload: 'Allegato della bozza',
      directions: { in: 'all’ufficio', out: 'dall’ufficio' },
      read: 'letto',
      unread: 'non letto',
      shareCode: 'Codice di condivisione',
      validUntil: 'valido fino al',
      revoked: 'revocato il',
      views: 'consultazioni',
      lastViewed: 'ultima consultazione',
      linkCode: 'Codice di collegamento',
      used: 'usato il',
      unused: 'non usato',
      failedAttempts: 'tentativi errati',
      expiryNotice: 'Avviso di scadenza del permesso',
      sent: 'inviato il',
      permitValidUntil: 'permesso valido fino al',
      recipients: 'destinatari',
    },
    kinds: { listed: 'mostrato in un elenco', read: 'consultato', changed: 'modificato' },
    roles: { caseworker: 'Collaboratore', 'team-lead': 'Capo team', 'municipal-clerk': 'Controllo abitanti', admin: 'Amministrazione', auditor: 'Revisione', applicant: 'Richiedente', partner: 'Sistema partner' },
    yes: 'sì',
    no: 'no',
  },
  en: {
    title: 'Access report: personal data',
    about: 'Person concerned',
    born: 'born',
    asOf: 'As of',
    by: 'prepared by',
    intro: 'This report holds all data the office processes about you, and who accessed them when (right of access under the data-protection law and NG § 12).',
    page: 'page',
    none: 'none',
    sections: { identity: 'Identity', history: 'Identity history', residences: 'Residences', relations: 'Relations', papers: 'Deposited papers', permits: 'Permits', cases: 'Cases', documents: 'Documents', finance: 'Invoices, payments and deposits', portal: 'Online portal', deadlines: 'Deadlines', notifications: 'Notifications', holds: 'Legal holds (retention)', accesses: 'Accesses to your data' },
    fields: { ahvn13: 'AHV number', officialName: 'Official name', firstNames: 'First names', callName: 'Call name', maidenName: 'Maiden name', allianceName: 'Alliance name', nameInForeignPassport: 'Name in foreign passport', aliasName: 'Other names', sex: 'Sex', dateOfBirth: 'Date of birth', placeOfBirth: 'Place of birth', countryOfBirth: 'Country of birth', nationality: 'Nationality', placeOfOrigin: 'Place of origin', civilStatus: 'Civil status', civilStatusDate: 'Civil status since', fatherName: 'Father', motherName: 'Mother', legalCapacity: 'Legal capacity', fireServiceDuty: 'Fire-service duty', religion: 'Religion', blockingNote: 'Blocking note', papersBlock: 'Papers block', tasks: 'Tasks', events: 'Timeline', decision: 'Decision' },
    finance: {
      invoice: 'Invoice',
      amount: 'Amount',
      paid: 'paid',
      issued: 'issued',
      due: 'due',
      paidOn: 'paid on',
      reminder: 'Reminder level',
      payment: 'Payment',
      booked: 'of which booked',
      deposit: 'Deposit',
      held: 'held by the office',
      ordered: 'ordered',
      settled: 'settled',
      waiverReason: 'Reason for the waiver',
      kinds: { fee: 'Fee', fine: 'Fine', deposit: 'Deposit' },
      statuses: { open: 'open', paid: 'paid', waived: 'waived', cancelled: 'cancelled' },
      sources: { bank: 'bank', counter: 'counter', deposit: 'offset against the deposit' },
    },
    portal: {
      account: 'Portal account',
      accountKinds: { applicant: 'Applicant', employer: 'Employer', representative: 'Representative' },
      created: 'opened',
      verified: 'address confirmed',
      notVerified: 'address not confirmed',
      linked: 'linked to your data',
      mandate: 'Mandate to',
      scopes: { applications: 'applications', status: 'case status', messages: 'messages', appointments: 'appointments', documents: 'documents' },
      openEnded: 'open-ended',
      grantedBy: { person: 'given by you', staff: 'recorded by the office' },
      mandateStates: { active: 'active', future: 'not yet valid', expired: 'expired', revoked: 'revoked' },
      application: 'Online application',
      applicationStates: { draft: 'draft', submitted: 'sent' },
      started: 'started',
      changed: 'changed',
      submitted: 'sent',
      upload: 'Paper in the draft',
      directions: { in: 'to the office', out: 'from the office' },
      read: 'read',
      unread: 'unread',
      shareCode: 'Share code',
      validUntil: 'valid until',
      revoked: 'withdrawn',
      views: 'views',
      lastViewed: 'last viewed',
      linkCode: 'Link code',
      used: 'used',
      unused: 'not used',
      failedAttempts: 'failed attempts',
      expiryNotice: 'Notice of permit expiry',
      sent: 'sent',
      permitValidUntil: 'permit valid until',
      recipients: 'recipients',
    },
    kinds: { listed: 'shown in a list', read: 'viewed', changed: 'changed' },
    roles: { caseworker: 'Caseworker', 'team-lead': 'Team lead', 'municipal-clerk': 'Municipal clerk', admin: 'Administrator', auditor: 'Auditor', applicant: 'Applicant', partner: 'Partner system' },
    yes: 'yes',
    no: 'no',
  },
};

/** 2026-03-01 → 01.03.2026; partly unknown eCH dates keep what is known. */
function shortDate(value: string | null): string {
  if (value === null) return '–';
  const [year, month, dayPart] = value.slice(0, 10).split('-');
  if (month === '00' || month === undefined) return year ?? value;
  if (dayPart === '00' || dayPart === undefined) return `${month}.${year}`;
  return `${dayPart}.${month}.${year}`;
}

interface Block {
  title?: string;
  lines: string[];
}

/** 'CHF 1234.50': the amount as the report gives it (two decimals) with its currency. */
const amountIn = (currency: string, amount: string): string => `${currency} ${amount}`;

/** Invoices with their lines (named in the report's language) and payments, then deposits with their ledger. */
function financeBlocks(finance: AccessReport['finance'], language: ReportLanguage): Block[] {
  const f = LABELS[language].finance;
  const invoices = finance.invoices.map((i): Block => {
    const m = (amount: string) => amountIn(i.currency, amount);
    return {
      title: `${f.invoice} ${i.number} · ${f.kinds[i.kind] ?? i.kind} · ${f.statuses[i.status] ?? i.status}${i.caseReference ? ` · ${i.caseReference}` : ''}`,
      lines: [
        [`${f.amount}: ${m(i.amount)}`, `${f.paid}: ${m(i.paid)}`, `${f.issued} ${shortDate(i.issuedOn)}`, `${f.due} ${shortDate(i.dueOn)}`, i.paidOn ? `${f.paidOn} ${shortDate(i.paidOn)}` : null, `${f.reminder}: ${i.reminderLevel}`].filter(Boolean).join(' · '),
        ...i.lines.map((line) => `${line.names[language]}${line.legalBasis ? ` (${line.legalBasis})` : ''} · ${m(line.amount)}`),
        ...i.payments.map((p) => {
          const amount = p.booked === p.amount ? amountIn(p.currency, p.amount) : `${amountIn(p.currency, p.amount)} (${f.booked} ${amountIn(p.currency, p.booked)})`;
          return [`${f.payment} ${shortDate(p.bookingDate)}`, f.sources[p.source] ?? p.source, amount, p.payerName, p.payerIban, p.remittanceText].filter(Boolean).join(' · ');
        }),
      ],
    };
  });
  const deposits = finance.deposits.map((d): Block => {
    const m = (amount: string) => amountIn(d.currency, amount);
    return {
      title: `${f.deposit} · ${d.basis} · ${d.household} · ${d.status}${d.caseReference ? ` · ${d.caseReference}` : ''}`,
      lines: [
        [`${f.amount}: ${m(d.amount)}`, `${f.held}: ${m(d.held)}`, `${f.ordered} ${shortDate(d.orderedOn)}`, d.settledOn ? `${f.settled} ${shortDate(d.settledOn)}` : null].filter(Boolean).join(' · '),
        ...(d.waiverReason ? [`${f.waiverReason}: ${d.waiverReason}`] : []),
        ...d.ledger.map((e) => [shortDate(e.date), e.kind, m(e.amount), `${f.held}: ${m(e.held)}`, e.invoiceNumber ? `${f.invoice} ${e.invoiceNumber}` : null, e.note].filter(Boolean).join(' · ')),
      ],
    };
  });
  return [...invoices, ...deposits];
}

/** Accounts, mandates, applications (answers and papers waiting in a draft), messages, share and link codes, expiry notices. */
function portalBlocks(portal: AccessReport['portal'], language: ReportLanguage, when: (value: string | null) => string): Block[] {
  const p = LABELS[language].portal;
  const join = (parts: (string | null | false)[]) => parts.filter(Boolean).join(' · ');
  const accounts = portal.accounts.map((a): Block => ({
    title: `${p.account}: ${a.email}`,
    lines: [join([p.accountKinds[a.kind] ?? a.kind, `${p.created} ${when(a.createdAt)}`, a.emailVerifiedAt ? `${p.verified} ${when(a.emailVerifiedAt)}` : p.notVerified, a.linkedAt ? `${p.linked} ${when(a.linkedAt)}` : null])],
  }));
  const mandates = portal.mandates.map((m): Block => ({
    title: `${p.mandate} ${m.representative.name}${m.representative.email ? ` (${m.representative.email})` : ''} · ${p.mandateStates[m.state] ?? m.state}`,
    lines: [
      join([m.scope.map((scope) => p.scopes[scope] ?? scope).join(', '), m.validUntil ? `${shortDate(m.validFrom)} – ${shortDate(m.validUntil)}` : `${shortDate(m.validFrom)} – (${p.openEnded})`]),
      join([`${p.grantedBy[m.grantedBy] ?? m.grantedBy} ${when(m.grantedAt)}`, m.revokedAt ? `${p.mandateStates.revoked} ${when(m.revokedAt)}` : null]),
    ],
  }));
  const applications = portal.applications.map((a): Block => ({
    title: join([`${p.application} ${a.form}`, p.applicationStates[a.state] ?? a.state, a.caseReference]),
    lines: [
      join([`${p.started} ${when(a.createdAt)}`, `${p.changed} ${when(a.updatedAt)}`, a.submittedAt ? `${p.submitted} ${when(a.submittedAt)}` : null]),
      ...Object.entries(a.answers).map(([key, answer]) => `${key}: ${answer}`),
      ...a.uploads.map((u) => join([`${p.upload}: ${u.fileName} (${u.slot})`, when(u.uploadedAt)])),
    ],
  }));
  const messages = portal.messages.map((m): Block => ({
    title: join([when(m.sentAt), p.directions[m.direction] ?? m.direction, m.author, m.caseReference, m.readAt ? `${p.read} ${when(m.readAt)}` : p.unread]),
    lines: [m.text],
  }));
  const shareCodes = portal.shareCodes.map((c): Block => ({
    lines: [join([c.label ? `${p.shareCode}: ${c.label}` : p.shareCode, `${p.created} ${when(c.createdAt)}`, `${p.validUntil} ${when(c.validUntil)}`, c.revokedAt ? `${p.revoked} ${when(c.revokedAt)}` : null, `${p.views}: ${c.views}`, c.lastViewedAt ? `${p.lastViewed} ${when(c.lastViewedAt)}` : null])],
  }));
  const linkCodes = portal.linkCodes.map((c): Block => ({
    lines: [join([p.linkCode, `${p.created} ${when(c.createdAt)}`, `${p.validUntil} ${when(c.validUntil)}`, c.usedAt ? `${p.used} ${when(c.usedAt)}` : p.unused, c.failedAttempts > 0 ? `${p.failedAttempts}: ${c.failedAttempts}` : null])],
  }));
  const notices = portal.expiryNotices.map((n): Block => ({ lines: [join([p.expiryNotice, `${p.sent} ${when(n.sentAt)}`, `${p.permitValidUntil} ${shortDate(n.permitValidUntil)}`, `${p.recipients}: ${n.recipients}`])] }));
  return [...accounts, ...mandates, ...applications, ...messages, ...shareCodes, ...linkCodes, ...notices];
}

function sectionsOf(report: AccessReport, language: ReportLanguage): { heading: string; blocks: Block[] }[] {
  const l = LABELS[language];
  const when = (value: string | null) => (value === null ? '–' : formatDateTime(new Date(value), language));
  const value = (v: string | boolean | null) => (v === null ? '–' : v === true ? l.yes : v === false ? l.no : v);
  const identityLines = Object.entries(report.person.identity).map(([key, v]) => `${l.fields[key] ?? key}: ${key.toLowerCase().includes('date') && typeof v === 'string' ? shortDate(v) : value(v)}`);
  identityLines.push(`${l.fields.blockingNote}: ${value(report.person.blockingNote)}`, `${l.fields.papersBlock}: ${value(report.person.papersBlock)}`);
  return [
    { heading: l.sections.identity, blocks: [{ lines: identityLines }] },
    {
      heading: l.sections.history,
      blocks: report.identityHistory.map((v) => ({
        title: `${v.aspect} · ${shortDate(v.validFrom)} – ${shortDate(v.validTo)} · ${v.reason}${v.supersededAt ? ` · ✕ ${when(v.supersededAt)}` : ''}`,
        lines: [Object.entries(v.data).map(([k, d]) => `${l.fields[k] ?? k}: ${d === null || d === undefined ? '–' : String(d)}`).join('; ')],
      })),
    },
    {
      heading: l.sections.residences,
      blocks: report.residences.map((r) => ({
        title: `${r.municipality} · ${shortDate(r.arrivalDate)} – ${shortDate(r.departureDate)}${r.supersededAt ? ' ✕' : ''}`,
        lines: [[r.kind, r.registrationType, r.address, r.egid === null ? null : `EGID ${r.egid}${r.ewid === null ? '' : ` / EWID ${r.ewid}`}`, r.arrivedFrom ? `← ${r.arrivedFrom}` : null, r.departedTo ? `→ ${r.departedTo}` : null].filter(Boolean).join(' · ')],
      })),
    },
    { heading: l.sections.relations, blocks: report.relations.map((r) => ({ lines: [[r.kind, r.name, r.custody === null ? null : `custody: ${value(r.custody)}`, r.validFrom ? `${shortDate(r.validFrom)} – ${shortDate(r.validTo)}` : null].filter(Boolean).join(' · ')] })) },
    { heading: l.sections.papers, blocks: report.papers.map((p) => ({ lines: [`Nr. ${p.receiptNumber} · ${p.designation}${p.number ? ` ${p.number}` : ''} (${p.issuingCountry}) · ${shortDate(p.depositedOn)} – ${shortDate(p.returnedOn)} · CHF ${p.feeChf}`] })) },
    {
      heading: l.sections.permits,
      blocks: report.permits.map((p) => ({
        title: `${p.category} · ${shortDate(p.validFrom)} – ${shortDate(p.endedOn ?? p.validUntil)}`,
        lines: [[p.admissionReason, p.endReason, p.cardNumber, p.conditions].filter(Boolean).join(' · '), ...p.events.map((e) => `${shortDate(e.date)} ${e.event}`)],
      })),
    },
    {
      heading: l.sections.cases,
      blocks: report.cases.map((c) => ({
        title: `${c.reference} · ${c.type} · ${c.state} (${c.phase}) · ${shortDate(c.receivedOn)}${c.closedAt ? ` – ${shortDate(c.closedAt)}` : ''}`,
        lines: [
          ...(c.decision ? [`${l.fields.decision}: ${c.decision.outcome ?? '–'}${c.decision.reason ? ` — ${c.decision.reason}` : ''}`] : []),
          ...Object.entries(c.fields).map(([k, v]) => `${k}: ${v}`),
          ...c.tasks.map((t) => `${l.fields.tasks}: ${t.title}${t.dueOn ? ` (${shortDate(t.dueOn)})` : ''}${t.done ? ' ✓' : ''}`),
          ...c.events.map((e) => `${when(e.at)} · ${e.kind} · ${e.by}${e.text ? `: ${e.text}` : ''}`),
        ],
      })),
    },
    { heading: l.sections.documents, blocks: report.documents.map((d) => ({ lines: [`${when(d.createdAt)} · ${d.kind} · ${d.title}${d.caseReference ? ` (${d.caseReference})` : ''}`] })) },
    { heading: l.sections.finance, blocks: financeBlocks(report.finance, language) },
    { heading: l.sections.portal, blocks: portalBlocks(report.portal, language, when) },
    { heading: l.sections.deadlines, blocks: report.deadlines.map((d) => ({ lines: [`${shortDate(d.workingDueDate)} · ${d.kind} · ${d.status} · ${d.legalBasis}`] })) },
    { heading: l.sections.notifications, blocks: report.notifications.map((n) => ({ lines: [`${when(n.createdAt)} · ${n.kind}${n.deadlineKind ? ` · ${n.deadlineKind}` : ''}${n.dueDate ? ` · ${shortDate(n.dueDate)}` : ''}`] })) },
    { heading: l.sections.holds, blocks: report.legalHolds.map((h) => ({ lines: [`${when(h.placedAt)}${h.liftedAt ? ` – ${when(h.liftedAt)}` : ''} · ${h.subject}${h.caseReference ? ` ${h.caseReference}` : ''} · ${h.reason} (${h.placedBy})`] })) },
    {
      heading: l.sections.accesses,
      blocks: report.accesses.map((a) => ({
        lines: [`${when(a.at)} · ${a.actor.displayName ?? '–'}${a.actor.roles.length > 0 ? ` (${a.actor.roles.map((r) => l.roles[r] ?? r).join(', ')})` : ''} · ${l.kinds[a.kind]} · ${a.action}${a.details.reference ? ` · ${a.details.reference}` : ''}`],
      })),
    },
  ];
}

export interface AccessReportPdfInput {
  report: AccessReport;
  language: ReportLanguage;
  letterhead: Letterhead;
}

const MM = 72 / 25.4;

export async function renderAccessReportPdf({ report, language, letterhead }: AccessReportPdfInput): Promise<Buffer> {
  const l = LABELS[language];
  const generated = new Date(report.generatedAt);
  const name = `${String(report.person.identity.officialName ?? '')} ${String(report.person.identity.firstNames ?? '')}`.trim();
  const { doc, done } = createPdf({
    size: 'A4',
    margins: { top: 20 * MM, bottom: 25 * MM, left: 25 * MM, right: 20 * MM },
    bufferPages: true,
    lang: language,
    displayTitle: true,
    info: { Title: `${l.title} – ${name}`, Author: letterhead.officeName, Subject: l.title, CreationDate: generated, ModDate: generated },
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  // Letterhead as on the office's letters: office and unit on the left, contact details at the right.
  const top = 15 * MM;
  const rightColumn = 125 * MM;
  doc.font('Bold').fontSize(13).fillColor('#000000').text(letterhead.officeName, left, top, { width: rightColumn - left - 6 * MM });
  if (letterhead.unitName) doc.font('Regular').fontSize(10).text(letterhead.unitName, { width: rightColumn - left - 6 * MM });
  const headBottom = doc.y;
  const contact = [...letterhead.addressLines, ...(letterhead.phone ? [letterhead.phone] : []), ...(letterhead.email ? [letterhead.email] : []), ...(letterhead.website ? [letterhead.website] : [])];
  doc.font('Regular').fontSize(8.5).fillColor('#444444').text(contact.join('\n'), rightColumn, top + 2, { width: doc.page.width - doc.page.margins.right - rightColumn, lineGap: 1 });
  doc.y = Math.max(doc.y, headBottom) + 12 * MM;

  doc.font('Bold').fontSize(18).fillColor('#000000').text(l.title, left, doc.y, { width });
  doc.moveDown(0.4);
  doc.font('Bold').fontSize(11).text(`${l.about}: ${name}, ${l.born} ${shortDate(String(report.person.identity.dateOfBirth ?? ''))}`, left, doc.y, { width });
  doc.font('Regular').fontSize(9.5).fillColor('#444444').text(`${l.asOf} ${formatLetterDate(report.generatedAt.slice(0, 10), language)} · ${l.by} ${report.generatedBy.displayName}`, left, doc.y, { width });
  doc.moveDown(0.6);
  doc.font('Regular').fontSize(10).fillColor('#000000').text(l.intro, left, doc.y, { width, lineGap: 2 });

  for (const section of sectionsOf(report, language)) {
    if (doc.y + 60 > bottom()) doc.addPage();
    doc.moveDown(1);
    doc.font('Bold').fontSize(13).fillColor('#000000').text(section.heading, left, doc.y, { width });
    doc.moveTo(left, doc.y + 1).lineTo(left + width, doc.y + 1).lineWidth(0.5).strokeColor('#888888').stroke();
    doc.moveDown(0.4);
    if (section.blocks.length === 0) {
      doc.font('Regular').fontSize(9.5).fillColor('#444444').text(`(${l.none})`, left, doc.y, { width });
      continue;
    }
    for (const block of section.blocks) {
      if (doc.y + 30 > bottom()) doc.addPage();
      if (block.title) doc.font('Bold').fontSize(10).fillColor('#000000').text(block.title, left, doc.y, { width });
      for (const line of block.lines) doc.font('Regular').fontSize(9.5).fillColor('#000000').text(line, left + (block.title ? 10 : 0), doc.y, { width: width - (block.title ? 10 : 0), lineGap: 1.5 });
      doc.moveDown(0.3);
    }
  }

  // Footer on every page, once the page count is known.
  const { start, count } = doc.bufferedPageRange();
  for (let index = 0; index < count; index += 1) {
    doc.switchToPage(start + index);
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 14 * MM;
    doc.font('Regular').fontSize(8).fillColor('#444444');
    doc.text(`${letterhead.officeName} · ${l.title} · ${name}`, left, y, { width: width - 35 * MM, height: 10, ellipsis: true });
    doc.text(`${l.page} ${index + 1} / ${count}`, left + width - 35 * MM, y, { width: 35 * MM, align: 'right', lineBreak: false });
    doc.page.margins.bottom = savedBottom;
  }
  doc.end();
  return done;
}
