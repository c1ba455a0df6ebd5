/**
 * Server-side texts: problem titles and details in the four languages of the office.
 * `{{name}}` placeholders are filled by i18next (see translate.ts). Keep the wording plain: these sentences reach
 * caseworkers and applicants as they are.
 */
export const LOCALES = ['de', 'fr', 'it', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

type Texts = Record<Locale, string>;
interface ProblemText {
  title: Texts;
  detail: Texts;
}

export const problemTexts = {
  'validation-failed': {
    title: { de: 'Ungültige Eingabe', fr: 'Saisie non valable', it: 'Immissione non valida', en: 'Invalid input' },
    detail: {
      de: 'Die Anfrage enthält ungültige Angaben: {{summary}}',
      fr: 'La demande contient des données non valables : {{summary}}',
      it: 'La richiesta contiene dati non validi: {{summary}}',
      en: 'The request contains invalid data: {{summary}}',
    },
  },
  'malformed-json': {
    title: { de: 'Unlesbare Anfrage', fr: 'Demande illisible', it: 'Richiesta illeggibile', en: 'Unreadable request' },
    detail: {
      de: 'Der Inhalt der Anfrage ist kein gültiges JSON.',
      fr: "Le contenu de la demande n'est pas du JSON valable.",
      it: 'Il contenuto della richiesta non è JSON valido.',
      en: 'The request body is not valid JSON.',
    },
  },
  'unsupported-media-type': {
    title: { de: 'Format nicht unterstützt', fr: 'Format non pris en charge', it: 'Formato non supportato', en: 'Unsupported format' },
    detail: {
      de: 'Dieses Format ({{type}}) wird hier nicht angenommen.',
      fr: "Ce format ({{type}}) n'est pas accepté ici.",
      it: 'Questo formato ({{type}}) non è accettato qui.',
      en: 'This format ({{type}}) is not accepted here.',
    },
  },
  'payload-too-large': {
    title: { de: 'Anfrage zu gross', fr: 'Demande trop volumineuse', it: 'Richiesta troppo grande', en: 'Request too large' },
    detail: {
      de: 'Die Anfrage ist grösser als erlaubt.',
      fr: 'La demande dépasse la taille autorisée.',
      it: 'La richiesta supera la dimensione consentita.',
      en: 'The request is larger than allowed.',
    },
  },
  unauthenticated: {
    title: { de: 'Anmeldung nötig', fr: 'Connexion requise', it: 'Accesso richiesto', en: 'Sign-in required' },
    detail: {
      de: 'Bitte melden Sie sich an, um fortzufahren.',
      fr: 'Veuillez vous connecter pour continuer.',
      it: 'Effettui l’accesso per continuare.',
      en: 'Please sign in to continue.',
    },
  },
  'session-expired': {
    title: { de: 'Sitzung abgelaufen', fr: 'Session expirée', it: 'Sessione scaduta', en: 'Session expired' },
    detail: {
      de: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
      fr: 'Votre session a expiré. Veuillez vous reconnecter.',
      it: 'La sessione è scaduta. Effettui di nuovo l’accesso.',
      en: 'Your session has expired. Please sign in again.',
    },
  },
  'invalid-token': {
    title: { de: 'Ungültiger Zugangsschlüssel', fr: "Jeton d'accès non valable", it: 'Token di accesso non valido', en: 'Invalid access token' },
    detail: {
      de: 'Der mitgeschickte Zugangsschlüssel ist unbekannt oder widerrufen.',
      fr: "Le jeton d'accès envoyé est inconnu ou révoqué.",
      it: 'Il token di accesso inviato è sconosciuto o revocato.',
      en: 'The access token sent is unknown or revoked.',
    },
  },
  'invalid-credentials': {
    title: { de: 'Anmeldung fehlgeschlagen', fr: 'Échec de la connexion', it: 'Accesso non riuscito', en: 'Sign-in failed' },
    detail: {
      de: 'Benutzername oder Passwort ist falsch.',
      fr: "Le nom d'utilisateur ou le mot de passe est incorrect.",
      it: 'Nome utente o password errati.',
      en: 'The user name or password is wrong.',
    },
  },
  'account-locked': {
    title: { de: 'Konto vorübergehend gesperrt', fr: 'Compte temporairement bloqué', it: 'Account temporaneamente bloccato', en: 'Account temporarily locked' },
    detail: {
      de: 'Nach mehreren Fehlversuchen ist das Konto bis {{until}} gesperrt. Versuchen Sie es danach erneut.',
      fr: 'Après plusieurs échecs, le compte est bloqué jusqu’à {{until}}. Réessayez ensuite.',
      it: 'Dopo diversi tentativi falliti, l’account è bloccato fino alle {{until}}. Riprovi più tardi.',
      en: 'After several failed attempts the account is locked until {{until}}. Please try again then.',
    },
  },
  'rate-limited': {
    title: { de: 'Zu viele Anfragen', fr: 'Trop de demandes', it: 'Troppe richieste', en: 'Too many requests' },
    detail: {
      de: 'Zu viele Anfragen in kurzer Zeit. Bitte warten Sie {{seconds}} Sekunden.',
      fr: 'Trop de demandes en peu de temps. Veuillez attendre {{seconds}} secondes.',
      it: 'Troppe richieste in poco tempo. Attenda {{seconds}} secondi.',
      en: 'Too many requests in a short time. Please wait {{seconds}} seconds.',
    },
  },
  forbidden: {
    title: { de: 'Keine Berechtigung', fr: 'Accès refusé', it: 'Accesso negato', en: 'Not allowed' },
    detail: {
      de: 'Ihre Rolle erlaubt diese Aktion nicht.',
      fr: "Votre rôle ne permet pas cette action.",
      it: 'Il suo ruolo non consente questa azione.',
      en: 'Your role does not allow this action.',
    },
  },
  'csrf-token-missing': {
    title: { de: 'Sicherheitsprüfung fehlgeschlagen', fr: 'Contrôle de sécurité échoué', it: 'Controllo di sicurezza non riuscito', en: 'Security check failed' },
    detail: {
      de: 'Der Anfrage fehlt ein gültiges CSRF-Token. Laden Sie die Seite neu und versuchen Sie es erneut.',
      fr: 'Il manque à la demande un jeton CSRF valable. Rechargez la page et réessayez.',
      it: 'Alla richiesta manca un token CSRF valido. Ricarichi la pagina e riprovi.',
      en: 'The request lacks a valid CSRF token. Reload the page and try again.',
    },
  },
  'not-found': {
    title: { de: 'Nicht gefunden', fr: 'Introuvable', it: 'Non trovato', en: 'Not found' },
    detail: {
      de: '{{what}} wurde nicht gefunden.',
      fr: '{{what}} est introuvable.',
      it: '{{what}} non è stato trovato.',
      en: '{{what}} was not found.',
    },
  },
  'route-not-found': {
    title: { de: 'Adresse unbekannt', fr: 'Adresse inconnue', it: 'Indirizzo sconosciuto', en: 'Unknown address' },
    detail: {
      de: 'Unter {{method}} {{url}} gibt es nichts.',
      fr: "Il n'y a rien sous {{method}} {{url}}.",
      it: 'Non c’è nulla sotto {{method}} {{url}}.',
      en: 'There is nothing at {{method}} {{url}}.',
    },
  },
  'version-conflict': {
    title: { de: 'Inzwischen geändert', fr: 'Modifié entre-temps', it: 'Modificato nel frattempo', en: 'Changed meanwhile' },
    detail: {
      de: 'Jemand anderes hat diesen Datensatz inzwischen geändert (aktuelle Version {{current}}). Laden Sie ihn neu und prüfen Sie Ihre Änderung.',
      fr: "Quelqu'un d'autre a modifié cet enregistrement entre-temps (version actuelle {{current}}). Rechargez-le et vérifiez votre modification.",
      it: 'Qualcun altro ha modificato questo record nel frattempo (versione attuale {{current}}). Lo ricarichi e verifichi la modifica.',
      en: 'Someone else changed this record meanwhile (current version {{current}}). Reload it and check your change.',
    },
  },
  conflict: {
    title: { de: 'Konflikt', fr: 'Conflit', it: 'Conflitto', en: 'Conflict' },
    detail: { de: '{{reason}}', fr: '{{reason}}', it: '{{reason}}', en: '{{reason}}' },
  },
  'internal-error': {
    title: { de: 'Interner Fehler', fr: 'Erreur interne', it: 'Errore interno', en: 'Internal error' },
    detail: {
      de: 'Etwas ist schiefgelaufen. Es wurde nichts gespeichert. Bitte versuchen Sie es erneut; wenn der Fehler bleibt, melden Sie die Anfrage-ID {{requestId}}.',
      fr: "Un problème est survenu. Rien n'a été enregistré. Veuillez réessayer ; si l'erreur persiste, signalez l'identifiant {{requestId}}.",
      it: 'Qualcosa è andato storto. Non è stato salvato nulla. Riprovi; se l’errore persiste, segnali l’ID richiesta {{requestId}}.',
      en: 'Something went wrong. Nothing was saved. Please try again; if the error persists, report request id {{requestId}}.',
    },
  },
  'database-unavailable': {
    title: { de: 'Datenbank nicht erreichbar', fr: 'Base de données indisponible', it: 'Database non raggiungibile', en: 'Database unavailable' },
    detail: {
      de: 'Die Datenbank antwortet gerade nicht. Bitte versuchen Sie es in einigen Minuten erneut.',
      fr: 'La base de données ne répond pas. Veuillez réessayer dans quelques minutes.',
      it: 'Il database non risponde. Riprovi tra qualche minuto.',
      en: 'The database is not answering. Please try again in a few minutes.',
    },
  },
  'precondition-required': {
    title: { de: 'Version fehlt', fr: 'Version manquante', it: 'Versione mancante', en: 'Version missing' },
    detail: {
      de: 'Senden Sie die Version, die Sie bearbeiten, im Kopf If-Match (zum Beispiel If-Match: "3"), damit keine fremde Änderung überschrieben wird.',
      fr: 'Envoyez la version que vous modifiez dans l’en-tête If-Match (par exemple If-Match: "3"), afin de ne pas écraser une autre modification.',
      it: 'Invii la versione che sta modificando nell’intestazione If-Match (per esempio If-Match: "3"), per non sovrascrivere modifiche altrui.',
      en: 'Send the version you are editing in the If-Match header (for example If-Match: "3"), so that nobody else\'s change is overwritten.',
    },
  },
  'possible-duplicate': {
    title: { de: 'Möglicherweise schon erfasst', fr: 'Peut-être déjà enregistré', it: 'Forse già registrato', en: 'Possibly registered already' },
    detail: {
      de: 'Es gibt {{count}} ähnliche Person(en) im Register. Prüfen Sie, ob es dieselbe Person ist; wenn nicht, bestätigen Sie die neue Erfassung.',
      fr: 'Le registre contient {{count}} personne(s) semblable(s). Vérifiez s’il s’agit de la même personne ; sinon, confirmez le nouvel enregistrement.',
      it: 'Nel registro ci sono {{count}} persona/e simile/i. Verifichi se si tratta della stessa persona; altrimenti confermi la nuova registrazione.',
      en: 'The register holds {{count}} similar person(s). Check whether it is the same person; if not, confirm the new registration.',
    },
  },
  'already-departed': {
    title: { de: 'Bereits weggezogen', fr: 'Déjà parti', it: 'Già partito', en: 'Already left' },
    detail: {
      de: 'Die Person hat keinen aktuellen Wohnsitz mehr hier; ein Umzug oder Wegzug ist nicht möglich.',
      fr: 'La personne n’a plus de domicile actuel ici ; un déménagement ou un départ n’est pas possible.',
      it: 'La persona non ha più un domicilio attuale qui; un trasloco o una partenza non è possibile.',
      en: 'The person no longer lives here; a move or departure is not possible.',
    },
  },
  'papers-blocked': {
    title: { de: 'Schriftensperre', fr: 'Blocage des papiers', it: 'Blocco dei documenti', en: 'Papers block' },
    detail: {
      de: 'Für diese Person ist eine Schriftensperre verfügt (NG § 14); die Ausweisschriften dürfen nicht herausgegeben werden.',
      fr: 'Un blocage des papiers a été ordonné pour cette personne (NG § 14) ; les papiers ne peuvent pas être restitués.',
      it: 'Per questa persona è stato disposto un blocco dei documenti (NG § 14); i documenti non possono essere restituiti.',
      en: 'A papers block has been ordered for this person (NG § 14); the papers must not be handed back.',
    },
  },
  'papers-already-returned': {
    title: { de: 'Bereits zurückgegeben', fr: 'Déjà restitué', it: 'Già restituito', en: 'Already returned' },
    detail: {
      de: 'Diese Ausweisschrift wurde am {{date}} bereits zurückgegeben.',
      fr: 'Ce papier a déjà été restitué le {{date}}.',
      it: 'Questo documento è già stato restituito il {{date}}.',
      en: 'This paper was already returned on {{date}}.',
    },
  },
  'unknown-municipality': {
    title: { de: 'Unbekannte Gemeinde', fr: 'Commune inconnue', it: 'Comune sconosciuto', en: 'Unknown municipality' },
    detail: {
      de: 'Die Gemeinde mit der BFS-Nummer {{bfs}} gehört nicht zu diesem Amt.',
      fr: 'La commune portant le numéro OFS {{bfs}} n’appartient pas à cet office.',
      it: 'Il comune con il numero UST {{bfs}} non appartiene a questo ufficio.',
      en: 'The municipality with BFS number {{bfs}} does not belong to this office.',
    },
  },
  'not-your-municipality': {
    title: { de: 'Andere Gemeinde', fr: 'Autre commune', it: 'Altro comune', en: 'Another municipality' },
    detail: {
      de: 'Sie können nur in Ihrer eigenen Gemeinde erfassen.',
      fr: 'Vous ne pouvez enregistrer que dans votre propre commune.',
      it: 'Può registrare solo nel suo comune.',
      en: 'You can only register in your own municipality.',
    },
  },
  'invalid-period': {
    title: { de: 'Ungültiger Zeitraum', fr: 'Période non valable', it: 'Periodo non valido', en: 'Invalid period' },
    detail: {
      de: 'Das Enddatum {{end}} liegt vor dem Beginn {{start}}.',
      fr: 'La date de fin {{end}} précède le début {{start}}.',
      it: 'La data di fine {{end}} precede l’inizio {{start}}.',
      en: 'The end date {{end}} is before the start {{start}}.',
    },
  },
  'unknown-permit-category': {
    title: { de: 'Unbekannte Bewilligungsart', fr: 'Catégorie d’autorisation inconnue', it: 'Categoria di permesso sconosciuta', en: 'Unknown permit category' },
    detail: {
      de: 'Die Bewilligungsart «{{category}}» gibt es in diesem Amt nicht. Möglich sind: {{known}}.',
      fr: 'La catégorie « {{category}} » n’existe pas dans cet office. Possibles : {{known}}.',
      it: 'La categoria «{{category}}» non esiste in questo ufficio. Possibili: {{known}}.',
      en: 'The permit category "{{category}}" does not exist in this office. Possible: {{known}}.',
    },
  },
  'not-registered-on-date': {
    title: { de: 'Nicht angemeldet', fr: 'Pas annoncé', it: 'Non annunciato', en: 'Not registered' },
    detail: {
      de: 'Die Person hatte am {{date}} keinen Wohnsitz im Gebiet dieses Amts; eine Bewilligung kann erst ab der Anmeldung gelten.',
      fr: 'La personne n’avait pas de domicile dans le territoire de cet office le {{date}} ; une autorisation ne peut valoir qu’à partir de l’annonce.',
      it: 'Il {{date}} la persona non aveva domicilio nel territorio di questo ufficio; un permesso può valere solo dall’annuncio.',
      en: 'The person did not live in this office’s area on {{date}}; a permit can only start once the person is registered.',
    },
  },
  'permit-overlap': {
    title: { de: 'Überschneidende Bewilligung', fr: 'Autorisation qui se chevauche', it: 'Permesso sovrapposto', en: 'Overlapping permit' },
    detail: {
      de: 'Zur gleichen Zeit gilt schon die Bewilligung {{category}} ({{from}} bis {{until}}). Beenden oder ändern Sie diese zuerst; pro Tag gilt nur eine Hauptbewilligung.',
      fr: 'L’autorisation {{category}} ({{from}} au {{until}}) est déjà valable pendant cette période. Terminez-la ou modifiez-la d’abord ; une seule autorisation principale par jour.',
      it: 'Nello stesso periodo vale già il permesso {{category}} ({{from}} – {{until}}). Lo termini o lo modifichi prima; per ogni giorno vale un solo permesso principale.',
      en: 'The permit {{category}} ({{from}} to {{until}}) is already in force at that time. End or change it first; only one main permit is in force on any day.',
    },
  },
  'permit-too-long': {
    title: { de: 'Zu lange Gültigkeit', fr: 'Validité trop longue', it: 'Validità troppo lunga', en: 'Validity too long' },
    detail: {
      de: 'Eine Bewilligung {{category}} darf höchstens {{months}} Monate gelten.',
      fr: 'Une autorisation {{category}} peut valoir au plus {{months}} mois.',
      it: 'Un permesso {{category}} può valere al massimo {{months}} mesi.',
      en: 'A {{category}} permit may be valid for at most {{months}} months.',
    },
  },
  'permit-ended': {
    title: { de: 'Bewilligung beendet', fr: 'Autorisation terminée', it: 'Permesso terminato', en: 'Permit ended' },
    detail: {
      de: 'Diese Bewilligung wurde am {{date}} beendet und kann nicht mehr geändert werden.',
      fr: 'Cette autorisation a pris fin le {{date}} et ne peut plus être modifiée.',
      it: 'Questo permesso è terminato il {{date}} e non può più essere modificato.',
      en: 'This permit ended on {{date}} and can no longer be changed.',
    },
  },
  'transition-not-allowed': {
    title: { de: 'Schritt nicht möglich', fr: 'Étape impossible', it: 'Passo non possibile', en: 'Step not possible' },
    detail: {
      de: 'Im Stand «{{state}}» ist der Schritt «{{transition}}» nicht möglich. Möglich sind: {{allowed}}.',
      fr: 'À l’état « {{state}} », l’étape « {{transition}} » n’est pas possible. Étapes possibles : {{allowed}}.',
      it: 'Nello stato «{{state}}» il passo «{{transition}}» non è possibile. Possibili sono: {{allowed}}.',
      en: 'In state "{{state}}" the step "{{transition}}" is not possible. Possible steps: {{allowed}}.',
    },
  },
  'checklist-incomplete': {
    title: { de: 'Checkliste unvollständig', fr: 'Liste de contrôle incomplète', it: 'Lista di controllo incompleta', en: 'Checklist incomplete' },
    detail: {
      de: 'Für diesen Schritt fehlt noch: {{missing}}.',
      fr: 'Il manque encore pour cette étape : {{missing}}.',
      it: 'Per questo passo manca ancora: {{missing}}.',
      en: 'This step still needs: {{missing}}.',
    },
  },
  'case-fields-missing': {
    title: { de: 'Angaben fehlen', fr: 'Données manquantes', it: 'Dati mancanti', en: 'Information missing' },
    detail: {
      de: 'Für diesen Schritt fehlen diese Angaben: {{missing}}.',
      fr: 'Il manque ces données pour cette étape : {{missing}}.',
      it: 'Per questo passo mancano questi dati: {{missing}}.',
      en: 'This step needs this information: {{missing}}.',
    },
  },
  'reason-required': {
    title: { de: 'Begründung fehlt', fr: 'Motivation manquante', it: 'Motivazione mancante', en: 'Reason missing' },
    detail: {
      de: 'Ein Entscheid braucht eine schriftliche Begründung.',
      fr: 'Une décision doit être motivée par écrit.',
      it: 'Una decisione richiede una motivazione scritta.',
      en: 'A decision needs a written reason.',
    },
  },
  'condition-not-met': {
    title: { de: 'Voraussetzung nicht erfüllt', fr: 'Condition non remplie', it: 'Condizione non adempiuta', en: 'Condition not met' },
    detail: {
      de: 'Die Voraussetzung «{{condition}}» für diesen Schritt ist nicht erfüllt.',
      fr: 'La condition « {{condition}} » de cette étape n’est pas remplie.',
      it: 'La condizione «{{condition}}» per questo passo non è adempiuta.',
      en: 'The condition "{{condition}}" for this step is not met.',
    },
  },
  'step-role': {
    title: { de: 'Nicht berechtigt', fr: 'Non autorisé', it: 'Non autorizzato', en: 'Not allowed' },
    detail: {
      de: 'Diesen Schritt dürfen nur diese Rollen machen: {{roles}}.',
      fr: 'Seuls ces rôles peuvent faire cette étape : {{roles}}.',
      it: 'Questo passo può essere fatto solo da questi ruoli: {{roles}}.',
      en: 'Only these roles may take this step: {{roles}}.',
    },
  },
  'own-decision': {
    title: { de: 'Vier-Augen-Prinzip', fr: 'Principe des quatre yeux', it: 'Principio dei quattro occhi', en: 'Four-eyes principle' },
    detail: {
      de: 'Sie haben diesen Entscheid selbst vorgeschlagen. Eine zweite Person muss ihn genehmigen.',
      fr: 'Vous avez proposé vous-même cette décision. Une deuxième personne doit l’approuver.',
      it: 'Ha proposto lei stesso questa decisione. Una seconda persona deve approvarla.',
      en: 'You proposed this decision yourself. A second person must approve it.',
    },
  },
  'decision-pending': {
    title: { de: 'Entscheid wartet auf Genehmigung', fr: 'Décision en attente d’approbation', it: 'Decisione in attesa di approvazione', en: 'Decision awaiting approval' },
    detail: {
      de: 'Ein Entscheid wartet auf die Genehmigung durch eine zweite Person; bis dahin ist kein weiterer Schritt möglich.',
      fr: 'Une décision attend l’approbation d’une deuxième personne ; d’ici là, aucune autre étape n’est possible.',
      it: 'Una decisione attende l’approvazione di una seconda persona; fino ad allora non è possibile nessun altro passo.',
      en: 'A decision is waiting for a second person’s approval; no other step is possible until then.',
    },
  },
  'no-pending-decision': {
    title: { de: 'Nichts zu genehmigen', fr: 'Rien à approuver', it: 'Niente da approvare', en: 'Nothing to approve' },
    detail: {
      de: 'Bei diesem Fall wartet kein Entscheid auf Genehmigung.',
      fr: 'Aucune décision n’attend d’approbation dans ce dossier.',
      it: 'In questo incarto nessuna decisione attende approvazione.',
      en: 'No decision in this case is waiting for approval.',
    },
  },
  'case-closed': {
    title: { de: 'Fall abgeschlossen', fr: 'Dossier clos', it: 'Incarto chiuso', en: 'Case closed' },
    detail: {
      de: 'Dieser Fall ist abgeschlossen und kann nicht mehr bearbeitet werden.',
      fr: 'Ce dossier est clos et ne peut plus être modifié.',
      it: 'Questo incarto è chiuso e non può più essere modificato.',
      en: 'This case is closed and can no longer be changed.',
    },
  },
  'not-decided': {
    title: { de: 'Noch kein Entscheid', fr: 'Pas encore de décision', it: 'Nessuna decisione ancora', en: 'Not decided yet' },
    detail: {
      de: 'Dieser Schritt ist erst nach einem Entscheid möglich.',
      fr: 'Cette étape n’est possible qu’après une décision.',
      it: 'Questo passo è possibile solo dopo una decisione.',
      en: 'This step is only possible once the case is decided.',
    },
  },
  'no-appeal-in-case-type': {
    title: { de: 'Keine Beschwerde vorgesehen', fr: 'Pas de recours prévu', it: 'Nessun ricorso previsto', en: 'No appeal foreseen' },
    detail: {
      de: 'Gegen Entscheide dieses Falltyps ist keine Beschwerde vorgesehen.',
      fr: 'Aucun recours n’est prévu contre les décisions de ce type de dossier.',
      it: 'Contro le decisioni di questo tipo d’incarto non è previsto alcun ricorso.',
      en: 'Decisions of this case type cannot be appealed.',
    },
  },
  'already-notified': {
    title: { de: 'Eröffnung schon erfasst', fr: 'Notification déjà saisie', it: 'Notifica già registrata', en: 'Notification already recorded' },
    detail: {
      de: 'Der Entscheid wurde schon am {{date}} eröffnet.',
      fr: 'La décision a déjà été notifiée le {{date}}.',
      it: 'La decisione è già stata notificata il {{date}}.',
      en: 'The decision was already notified on {{date}}.',
    },
  },
  'not-notified': {
    title: { de: 'Noch nicht eröffnet', fr: 'Pas encore notifiée', it: 'Non ancora notificata', en: 'Not notified yet' },
    detail: {
      de: 'Erfassen Sie zuerst, wann der Entscheid eröffnet wurde; erst dann läuft die Beschwerdefrist.',
      fr: 'Saisissez d’abord la date de notification de la décision ; le délai de recours ne court qu’ensuite.',
      it: 'Registri prima quando la decisione è stata notificata; solo allora decorre il termine di ricorso.',
      en: 'Record first when the decision was notified; only then does the appeal period run.',
    },
  },
  'appeal-already-recorded': {
    title: { de: 'Beschwerde schon erfasst', fr: 'Recours déjà saisi', it: 'Ricorso già registrato', en: 'Appeal already recorded' },
    detail: {
      de: 'Für diesen Entscheid ist schon eine Beschwerde erfasst.',
      fr: 'Un recours est déjà saisi contre cette décision.',
      it: 'Contro questa decisione è già registrato un ricorso.',
      en: 'An appeal against this decision is already recorded.',
    },
  },
  'outside-appeal-period': {
    title: { de: 'Ausserhalb der Beschwerdefrist', fr: 'Hors du délai de recours', it: 'Fuori dal termine di ricorso', en: 'Outside the appeal period' },
    detail: {
      de: 'Die Beschwerdefrist lief vom {{from}} bis {{until}}.',
      fr: 'Le délai de recours courait du {{from}} au {{until}}.',
      it: 'Il termine di ricorso decorreva dal {{from}} al {{until}}.',
      en: 'The appeal period ran from {{from}} to {{until}}.',
    },
  },
  'no-appeal-filed': {
    title: { de: 'Keine Beschwerde erfasst', fr: 'Aucun recours saisi', it: 'Nessun ricorso registrato', en: 'No appeal recorded' },
    detail: {
      de: 'Ein Beschwerdeentscheid kann erst erfasst werden, wenn eine Beschwerde erfasst ist.',
      fr: 'Une décision sur recours ne peut être saisie qu’après la saisie d’un recours.',
      it: 'Una decisione su ricorso può essere registrata solo dopo la registrazione di un ricorso.',
      en: 'An appeal outcome can only be recorded once an appeal is recorded.',
    },
  },
  'case-type-invalid': {
    title: { de: 'Falltyp fehlerhaft', fr: 'Type de dossier erroné', it: 'Tipo d’incarto errato', en: 'Case type refused' },
    detail: {
      de: 'Der Falltyp wurde nicht übernommen: {{problems}}',
      fr: 'Le type de dossier n’a pas été repris : {{problems}}',
      it: 'Il tipo d’incarto non è stato ripreso: {{problems}}',
      en: 'The case type was not taken over: {{problems}}',
    },
  },
  'case-type-version-exists': {
    title: { de: 'Version schon vorhanden', fr: 'Version déjà existante', it: 'Versione già esistente', en: 'Version exists' },
    detail: {
      de: 'Vom Falltyp «{{slug}}» gibt es schon die Version {{latest}}. Geben Sie der neuen Fassung eine höhere Versionsnummer.',
      fr: 'Le type de dossier « {{slug}} » existe déjà en version {{latest}}. Donnez un numéro de version plus élevé à la nouvelle.',
      it: 'Del tipo d’incarto «{{slug}}» esiste già la versione {{latest}}. Dia alla nuova un numero di versione più alto.',
      en: 'Case type "{{slug}}" already has version {{latest}}. Give the new one a higher version number.',
    },
  },
  'letter-not-available': {
    title: { de: 'Brief nicht vorhanden', fr: 'Lettre indisponible', it: 'Lettera non disponibile', en: 'Letter not available' },
    detail: {
      de: 'Dieser Falltyp kennt den Brief «{{letter}}» nicht.',
      fr: 'Ce type de dossier ne connaît pas la lettre « {{letter}} ».',
      it: 'Questo tipo d’incarto non conosce la lettera «{{letter}}».',
      en: 'This case type has no letter "{{letter}}".',
    },
  },
  'unsupported-attachment': {
    title: { de: 'Dateityp nicht erlaubt', fr: 'Type de fichier non autorisé', it: 'Tipo di file non ammesso', en: 'File type not allowed' },
    detail: {
      de: 'Erlaubt sind PDF, JPEG und PNG bis 10 MB; diese Datei ist «{{type}}».',
      fr: 'Sont autorisés PDF, JPEG et PNG jusqu’à 10 Mo ; ce fichier est « {{type}} ».',
      it: 'Sono ammessi PDF, JPEG e PNG fino a 10 MB; questo file è «{{type}}».',
      en: 'PDF, JPEG and PNG up to 10 MB are allowed; this file is "{{type}}".',
    },
  },
  'invalid-date': {
    title: { de: 'Ungültiges Datum', fr: 'Date non valable', it: 'Data non valida', en: 'Invalid date' },
    detail: {
      de: '«{{value}}» ist kein gültiges Datum; erwartet wird JJJJ-MM-TT, zum Beispiel 2022-12-31.',
      fr: '« {{value}} » n’est pas une date valable ; format attendu AAAA-MM-JJ, par exemple 2022-12-31.',
      it: '«{{value}}» non è una data valida; formato atteso AAAA-MM-GG, per esempio 2022-12-31.',
      en: '"{{value}}" is not a valid date; expected YYYY-MM-DD, for example 2022-12-31.',
    },
  },
  'legal-hold-exists': {
    title: { de: 'Sperre besteht schon', fr: 'Blocage déjà en place', it: 'Blocco già in vigore', en: 'Legal hold exists' },
    detail: {
      de: 'Seit {{date}} besteht schon eine rechtliche Sperre; heben Sie diese zuerst auf, wenn Sie den Grund ändern wollen.',
      fr: 'Un blocage juridique est en place depuis le {{date}} ; levez-le d’abord si vous voulez en changer le motif.',
      it: 'Dal {{date}} è già in vigore un blocco giuridico; lo revochi prima se vuole cambiarne il motivo.',
      en: 'A legal hold has been in force since {{date}}; lift it first if you want to change its reason.',
    },
  },
  'duplicate-entry': {
    title: { de: 'Schon vorhanden', fr: 'Déjà existant', it: 'Già esistente', en: 'Already exists' },
    detail: {
      de: 'Ein gleicher Eintrag besteht schon; es wurde nichts gespeichert.',
      fr: 'Une entrée identique existe déjà ; rien n’a été enregistré.',
      it: 'Esiste già una voce identica; non è stato salvato nulla.',
      en: 'An identical entry exists already; nothing was saved.',
    },
  },
  'malformed-url': {
    title: { de: 'Ungültige Adresse', fr: 'Adresse non valable', it: 'Indirizzo non valido', en: 'Invalid address' },
    detail: {
      de: 'Die Adresse der Anfrage enthält eine ungültige Prozent-Kodierung.',
      fr: 'L’adresse de la demande contient un encodage-pourcent non valable.',
      it: 'L’indirizzo della richiesta contiene una codifica percentuale non valida.',
      en: 'The address of the request contains invalid percent-encoding.',
    },
  },
  'url-too-long': {
    title: { de: 'Adresse zu lang', fr: 'Adresse trop longue', it: 'Indirizzo troppo lungo', en: 'Address too long' },
    detail: {
      de: 'Ein Teil der Adresse ist länger als erlaubt.',
      fr: 'Une partie de l’adresse dépasse la longueur autorisée.',
      it: 'Una parte dell’indirizzo supera la lunghezza consentita.',
      en: 'A part of the address is longer than allowed.',
    },
  },
  'unstorable-text': {
    title: { de: 'Ungültiges Zeichen', fr: 'Caractère non valable', it: 'Carattere non valido', en: 'Invalid character' },
    detail: {
      de: 'Die Anfrage enthält ein Zeichen, das nicht gespeichert werden kann (zum Beispiel ein Nullzeichen).',
      fr: 'La demande contient un caractère qui ne peut pas être enregistré (par exemple un caractère nul).',
      it: 'La richiesta contiene un carattere che non può essere salvato (per esempio un carattere nullo).',
      en: 'The request contains a character that cannot be stored (for example a NUL character).',
    },
  },
  'invalid-cursor': {
    title: { de: 'Ungültige Seitenmarke', fr: 'Repère de page non valable', it: 'Segnalibro di pagina non valido', en: 'Invalid page cursor' },
    detail: {
      de: 'Die Seitenmarke (cursor) stammt nicht aus einer Antwort dieses Servers. Laden Sie die Liste neu.',
      fr: 'Le repère de page (cursor) ne provient pas d’une réponse de ce serveur. Rechargez la liste.',
      it: 'Il segnalibro di pagina (cursor) non proviene da una risposta di questo server. Ricarichi l’elenco.',
      en: 'The page cursor did not come from an answer of this server. Load the list again.',
    },
  },
  // --- strong sign-in (access module: TOTP, single sign-on, re-authentication) ---
  'totp-enrolment-required': {
    title: { de: 'Zweiter Faktor nötig', fr: 'Second facteur requis', it: 'Secondo fattore richiesto', en: 'Second factor required' },
    detail: {
      de: 'Ihr Amt verlangt eine Anmeldung mit Einmalcode. Richten Sie zuerst unter «Anmeldung und Sicherheit» eine Authenticator-App ein.',
      fr: 'Votre office exige une connexion avec code à usage unique. Configurez d’abord une application d’authentification sous « Connexion et sécurité ».',
      it: 'Il suo ufficio richiede l’accesso con codice monouso. Configuri prima un’app di autenticazione in «Accesso e sicurezza».',
      en: 'Your office requires sign-in with a one-time code. First set up an authenticator app under "Sign-in and security".',
    },
  },
  'token-not-allowed': {
    title: { de: 'Nur für angemeldete Personen', fr: 'Réservé aux personnes connectées', it: 'Solo per persone connesse', en: 'Only for signed-in people' },
    detail: {
      de: 'Dies kann nur eine angemeldete Person tun, nicht ein Zugangsschlüssel eines Systems.',
      fr: 'Seule une personne connectée peut faire ceci, pas un jeton d’accès de système.',
      it: 'Solo una persona connessa può farlo, non un token di accesso di un sistema.',
      en: 'Only a signed-in person can do this, not a system’s access token.',
    },
  },
  'reauthentication-required': {
    title: { de: 'Bitte erneut bestätigen', fr: 'Veuillez confirmer à nouveau', it: 'Confermi di nuovo', en: 'Please confirm again' },
    detail: {
      de: 'Für diese Aktion müssen Sie sich innerhalb der letzten {{minutes}} Minuten angemeldet haben. Bitte bestätigen Sie Ihre Anmeldung erneut.',
      fr: 'Pour cette action, vous devez vous être connecté au cours des {{minutes}} dernières minutes. Veuillez confirmer à nouveau votre identité.',
      it: 'Per questa azione deve aver effettuato l’accesso negli ultimi {{minutes}} minuti. Confermi di nuovo la sua identità.',
      en: 'This action needs a sign-in within the last {{minutes}} minutes. Please confirm your sign-in again.',
    },
  },
  'reauthenticate-with-sso': {
    title: { de: 'Über Single Sign-on bestätigen', fr: 'Confirmer par authentification unique', it: 'Confermare tramite accesso unico', en: 'Confirm through single sign-on' },
    detail: {
      de: 'Sie sind über das Anmeldesystem Ihres Amts angemeldet; bestätigen Sie Ihre Anmeldung bitte dort erneut.',
      fr: 'Vous êtes connecté par le système d’authentification de votre office ; veuillez y confirmer à nouveau votre connexion.',
      it: 'Ha effettuato l’accesso tramite il sistema del suo ufficio; confermi di nuovo l’accesso lì.',
      en: 'You signed in through your office’s sign-in system; please confirm your sign-in there again.',
    },
  },
  'pending-login-expired': {
    title: { de: 'Anmeldung abgelaufen', fr: 'Connexion expirée', it: 'Accesso scaduto', en: 'Sign-in expired' },
    detail: {
      de: 'Die Anmeldung wurde nicht rechtzeitig abgeschlossen. Bitte geben Sie Benutzername und Passwort erneut ein.',
      fr: 'La connexion n’a pas été terminée à temps. Veuillez saisir à nouveau votre nom d’utilisateur et votre mot de passe.',
      it: 'L’accesso non è stato completato in tempo. Inserisca di nuovo nome utente e password.',
      en: 'The sign-in was not finished in time. Please enter your user name and password again.',
    },
  },
  'totp-code-invalid': {
    title: { de: 'Code falsch', fr: 'Code erroné', it: 'Codice errato', en: 'Wrong code' },
    detail: {
      de: 'Der Code stimmt nicht oder wurde schon verwendet. Geben Sie den aktuellen Code aus Ihrer Authenticator-App ein.',
      fr: 'Le code est erroné ou a déjà été utilisé. Saisissez le code actuel de votre application d’authentification.',
      it: 'Il codice è errato o è già stato usato. Inserisca il codice attuale della sua app di autenticazione.',
      en: 'The code is wrong or was used already. Enter the current code from your authenticator app.',
    },
  },
  'totp-code-required': {
    title: { de: 'Code fehlt', fr: 'Code manquant', it: 'Codice mancante', en: 'Code missing' },
    detail: {
      de: 'Geben Sie zusätzlich zum Passwort den aktuellen Code aus Ihrer Authenticator-App ein.',
      fr: 'Saisissez, en plus du mot de passe, le code actuel de votre application d’authentification.',
      it: 'Oltre alla password, inserisca il codice attuale della sua app di autenticazione.',
      en: 'Enter the current code from your authenticator app as well as your password.',
    },
  },
  'totp-already-enabled': {
    title: { de: 'Einmalcode schon eingerichtet', fr: 'Code à usage unique déjà configuré', it: 'Codice monouso già configurato', en: 'One-time code already set up' },
    detail: {
      de: 'Für Ihr Konto ist schon eine Authenticator-App eingerichtet. Schalten Sie sie zuerst aus, um eine neue einzurichten.',
      fr: 'Une application d’authentification est déjà configurée pour votre compte. Désactivez-la d’abord pour en configurer une nouvelle.',
      it: 'Per il suo account è già configurata un’app di autenticazione. La disattivi prima di configurarne una nuova.',
      en: 'An authenticator app is already set up for your account. Turn it off first to set up a new one.',
    },
  },
  'totp-enrolment-missing': {
    title: { de: 'Keine Einrichtung begonnen', fr: 'Aucune configuration commencée', it: 'Nessuna configurazione iniziata', en: 'No set-up started' },
    detail: {
      de: 'Beginnen Sie die Einrichtung neu: Es gibt keinen QR-Code, der auf Bestätigung wartet.',
      fr: 'Recommencez la configuration : aucun code QR n’attend de confirmation.',
      it: 'Ricominci la configurazione: nessun codice QR attende conferma.',
      en: 'Start the set-up again: there is no QR code waiting for confirmation.',
    },
  },
  'totp-not-enabled': {
    title: { de: 'Kein Einmalcode eingerichtet', fr: 'Aucun code à usage unique configuré', it: 'Nessun codice monouso configurato', en: 'No one-time code set up' },
    detail: {
      de: 'Für Ihr Konto ist keine Authenticator-App eingerichtet.',
      fr: 'Aucune application d’authentification n’est configurée pour votre compte.',
      it: 'Per il suo account non è configurata alcuna app di autenticazione.',
      en: 'No authenticator app is set up for your account.',
    },
  },
  'oidc-not-configured': {
    title: { de: 'Kein Single Sign-on', fr: 'Pas d’authentification unique', it: 'Nessun accesso unico', en: 'No single sign-on' },
    detail: {
      de: 'Für dieses Amt ist keine Anmeldung über ein zentrales Anmeldesystem eingerichtet.',
      fr: 'Aucune connexion par un système d’authentification central n’est configurée pour cet office.',
      it: 'Per questo ufficio non è configurato l’accesso tramite un sistema centrale.',
      en: 'This office has no sign-in through a central sign-in system.',
    },
  },
  'oidc-unavailable': {
    title: { de: 'Anmeldesystem nicht erreichbar', fr: 'Système d’authentification injoignable', it: 'Sistema di accesso non raggiungibile', en: 'Sign-in system unavailable' },
    detail: {
      de: 'Das Anmeldesystem des Amts ist zurzeit nicht erreichbar oder nicht vollständig eingerichtet. Bitte versuchen Sie es später noch einmal (Referenz {{requestId}}).',
      fr: 'Le système d’authentification de l’office est actuellement injoignable ou incomplètement configuré. Veuillez réessayer plus tard (référence {{requestId}}).',
      it: 'Il sistema di accesso dell’ufficio non è al momento raggiungibile o non è configurato completamente. Riprovi più tardi (riferimento {{requestId}}).',
      en: 'The office’s sign-in system cannot be reached or is not fully set up. Please try again later (reference {{requestId}}).',
    },
  },
  'oidc-failed': {
    title: { de: 'Single Sign-on fehlgeschlagen', fr: 'Échec de l’authentification unique', it: 'Accesso unico non riuscito', en: 'Single sign-on failed' },
    detail: {
      de: 'Die Anmeldung über das Anmeldesystem des Amts konnte nicht abgeschlossen werden. Bitte beginnen Sie die Anmeldung neu.',
      fr: 'La connexion par le système d’authentification de l’office n’a pas pu être terminée. Veuillez recommencer.',
      it: 'L’accesso tramite il sistema dell’ufficio non ha potuto essere completato. Ricominci l’accesso.',
      en: 'The sign-in through the office’s sign-in system could not be finished. Please start again.',
    },
  },
  'oidc-unknown-user': {
    title: { de: 'Kein MigraFlow-Konto', fr: 'Aucun compte MigraFlow', it: 'Nessun account MigraFlow', en: 'No MigraFlow account' },
    detail: {
      de: 'Sie sind beim Anmeldesystem angemeldet, haben aber kein Benutzerkonto in MigraFlow. Bitte wenden Sie sich an die Administration Ihres Amts.',
      fr: 'Vous êtes connecté au système d’authentification, mais n’avez pas de compte dans MigraFlow. Veuillez vous adresser à l’administration de votre office.',
      it: 'Ha effettuato l’accesso al sistema, ma non ha un account in MigraFlow. Si rivolga all’amministrazione del suo ufficio.',
      en: 'You are signed in at the sign-in system but have no user account in MigraFlow. Please contact your office’s administrators.',
    },
  },
  'own-admin-role': {
    title: { de: 'Eigene Administratorrolle', fr: 'Propre rôle d’administrateur', it: 'Proprio ruolo di amministratore', en: 'Own administrator role' },
    detail: {
      de: 'Sie können sich die Administratorrolle nicht selbst entziehen; das muss eine andere Administratorin oder ein anderer Administrator tun.',
      fr: 'Vous ne pouvez pas vous retirer vous-même le rôle d’administrateur ; un autre administrateur doit le faire.',
      it: 'Non può togliersi da sé il ruolo di amministratore; deve farlo un altro amministratore.',
      en: 'You cannot take the administrator role from yourself; another administrator must do that.',
    },
  },
  'unknown-unit': {
    title: { de: 'Unbekannte Einheit', fr: 'Unité inconnue', it: 'Unità sconosciuta', en: 'Unknown unit' },
    detail: {
      de: 'Dieses Amt hat keine Einheit «{{slug}}».',
      fr: 'Cet office n’a pas d’unité « {{slug}} ».',
      it: 'Questo ufficio non ha un’unità «{{slug}}».',
      en: 'This office has no unit "{{slug}}".',
    },
  },
  'already-dead': {
    title: { de: 'Tod bereits erfasst', fr: 'Décès déjà enregistré', it: 'Decesso già registrato', en: 'Death already recorded' },
    detail: {
      de: 'Für diese Person ist der Tod bereits erfasst (am {{date}}).',
      fr: 'Le décès de cette personne est déjà enregistré (le {{date}}).',
      it: 'Il decesso di questa persona è già registrato (il {{date}}).',
      en: 'This person’s death is already recorded (on {{date}}).',
    },
  },
  'exchange-not-xml': {
    title: { de: 'Kein XML', fr: 'Pas du XML', it: 'Non è XML', en: 'Not XML' },
    detail: {
      de: 'Die Meldung ist kein lesbares XML-Dokument: {{problem}}',
      fr: 'Le message n’est pas un document XML lisible : {{problem}}',
      it: 'Il messaggio non è un documento XML leggibile: {{problem}}',
      en: 'The message is not a readable XML document: {{problem}}',
    },
  },
  'exchange-unsupported-standard': {
    title: { de: 'Unbekannter Standard', fr: 'Norme inconnue', it: 'Standard sconosciuto', en: 'Unknown standard' },
    detail: {
      de: 'Das XML gehört nicht zu eCH-0020 v3 oder eCH-0058 v5 (Wurzelelement {{root}}). Unterstützt: {{supported}}.',
      fr: 'Le XML n’appartient pas à eCH-0020 v3 ni à eCH-0058 v5 (élément racine {{root}}). Pris en charge : {{supported}}.',
      it: 'L’XML non appartiene a eCH-0020 v3 né a eCH-0058 v5 (elemento radice {{root}}). Supportati: {{supported}}.',
      en: 'The XML is neither eCH-0020 v3 nor eCH-0058 v5 (root element {{root}}). Supported: {{supported}}.',
    },
  },
  'exchange-schema-invalid': {
    title: { de: 'Verstösst gegen das Schema', fr: 'Non conforme au schéma', it: 'Non conforme allo schema', en: 'Not valid against the schema' },
    detail: {
      de: 'Die Meldung entspricht nicht dem offiziellen XML-Schema ({{count}} Fehler). Erster Fehler in Zeile {{line}}: {{problem}}',
      fr: 'Le message ne respecte pas le schéma XML officiel ({{count}} erreur(s)). Première erreur à la ligne {{line}} : {{problem}}',
      it: 'Il messaggio non rispetta lo schema XML ufficiale ({{count}} errore/i). Primo errore alla riga {{line}}: {{problem}}',
      en: 'The message does not follow the official XML schema ({{count}} problem(s)). First problem on line {{line}}: {{problem}}',
    },
  },
  'exchange-unsupported-event': {
    title: { de: 'Ereignis nicht verarbeitet', fr: 'Événement non traité', it: 'Evento non elaborato', en: 'Event not processed' },
    detail: {
      de: 'Die Meldung ist gültig, aber MigraFlow verarbeitet das Ereignis «{{event}}» nicht automatisch. Bitte von Hand im Register nachführen.',
      fr: 'Le message est valable, mais MigraFlow ne traite pas automatiquement l’événement « {{event}} ». Veuillez le reporter à la main dans le registre.',
      it: 'Il messaggio è valido, ma MigraFlow non elabora automaticamente l’evento «{{event}}». Lo riporti a mano nel registro.',
      en: 'The message is valid, but MigraFlow does not apply the event "{{event}}" automatically. Please record it in the register by hand.',
    },
  },
  'exchange-unknown-person': {
    title: { de: 'Person unbekannt', fr: 'Personne inconnue', it: 'Persona sconosciuta', en: 'Unknown person' },
    detail: {
      de: 'Die Meldung betrifft {{name}}, geboren {{birth}}; diese Person ist im Register nicht zu finden (weder AHV-Nummer noch Personen-ID noch Name und Geburtsdatum passen).',
      fr: 'Le message concerne {{name}}, né(e) le {{birth}} ; cette personne est introuvable dans le registre (ni numéro AVS, ni identifiant, ni nom et date de naissance).',
      it: 'Il messaggio riguarda {{name}}, nato/a il {{birth}}; questa persona non è nel registro (né numero AVS, né ID, né nome e data di nascita corrispondono).',
      en: 'The message is about {{name}}, born {{birth}}; this person is not in the register (neither AHV number, nor person id, nor name and date of birth match).',
    },
  },
  'exchange-ambiguous-person': {
    title: { de: 'Person nicht eindeutig', fr: 'Personne ambiguë', it: 'Persona non univoca', en: 'Person not unique' },
    detail: {
      de: '{{count}} Personen im Register heissen {{name}} und sind am {{birth}} geboren. Bitte die richtige Person zuordnen oder die Dubletten zusammenführen.',
      fr: '{{count}} personnes du registre s’appellent {{name}} et sont nées le {{birth}}. Veuillez attribuer la bonne personne ou fusionner les doublons.',
      it: '{{count}} persone nel registro si chiamano {{name}} e sono nate il {{birth}}. Assegni la persona giusta o unisca i doppioni.',
      en: '{{count}} persons in the register are called {{name}} and were born on {{birth}}. Please pick the right one or merge the duplicates.',
    },
  },
  'exchange-person-exists': {
    title: { de: 'Person bereits im Register', fr: 'Personne déjà au registre', it: 'Persona già nel registro', en: 'Person already in the register' },
    detail: {
      de: 'Die Meldung meldet {{name}} neu an, aber die Person ist schon im Register und wohnt in {{municipality}}.',
      fr: 'Le message annonce l’arrivée de {{name}}, mais la personne figure déjà au registre et habite à {{municipality}}.',
      it: 'Il messaggio annuncia l’arrivo di {{name}}, ma la persona è già nel registro e abita a {{municipality}}.',
      en: 'The message reports {{name}} as arriving, but the person is already in the register and lives in {{municipality}}.',
    },
  },
  'exchange-foreign-municipality': {
    title: { de: 'Fremde Gemeinde', fr: 'Commune étrangère à l’office', it: 'Comune estraneo all’ufficio', en: 'Municipality of another office' },
    detail: {
      de: 'Die Meldung betrifft die Gemeinde {{municipality}} (BFS {{bfs}}), die nicht zu diesem Amt gehört.',
      fr: 'Le message concerne la commune {{municipality}} (OFS {{bfs}}), qui n’appartient pas à cet office.',
      it: 'Il messaggio riguarda il comune {{municipality}} (UST {{bfs}}), che non appartiene a questo ufficio.',
      en: 'The message is about the municipality {{municipality}} (BFS {{bfs}}), which does not belong to this office.',
    },
  },
  'exchange-not-resident': {
    title: { de: 'Nicht in der Gemeinde gemeldet', fr: 'Pas inscrit dans la commune', it: 'Non iscritto nel comune', en: 'Not registered in the municipality' },
    detail: {
      de: 'Die Meldung setzt voraus, dass {{name}} in {{municipality}} wohnt, aber das Register kennt dort keinen offenen Wohnsitz. Vielleicht fehlt eine frühere Meldung (Zuzug) oder sie kommt in falscher Reihenfolge.',
      fr: 'Le message suppose que {{name}} habite à {{municipality}}, mais le registre n’y connaît aucun domicile ouvert. Un message antérieur (arrivée) manque peut-être ou arrive dans le désordre.',
      it: 'Il messaggio presuppone che {{name}} abiti a {{municipality}}, ma il registro non vi conosce alcun domicilio aperto. Forse manca un messaggio precedente (arrivo) o arriva in ordine sbagliato.',
      en: 'The message assumes {{name}} lives in {{municipality}}, but the register has no open residence there. An earlier message (the arrival) may be missing or out of order.',
    },
  },
  'exchange-unknown-permit': {
    title: { de: 'Unbekannte Ausländerkategorie', fr: 'Catégorie d’étranger inconnue', it: 'Categoria di stranieri sconosciuta', en: 'Unknown permit category' },
    detail: {
      de: 'Die Ausländerkategorie {{code}} (eCH-0006) ist im Bewilligungskatalog dieses Amtes nicht erfasst.',
      fr: 'La catégorie d’étranger {{code}} (eCH-0006) ne figure pas dans le catalogue des autorisations de cet office.',
      it: 'La categoria di stranieri {{code}} (eCH-0006) non figura nel catalogo dei permessi di questo ufficio.',
      en: 'The permit category {{code}} (eCH-0006) is not in this office’s permit catalogue.',
    },
  },
  'exchange-unknown-partner': {
    title: { de: 'Kein Partner', fr: 'Pas un partenaire', it: 'Non è un partner', en: 'Not a partner' },
    detail: {
      de: 'Dieses Token gehört zu keinem aktiven Austauschpartner des Amtes.',
      fr: 'Ce jeton n’appartient à aucun partenaire d’échange actif de l’office.',
      it: 'Questo token non appartiene ad alcun partner di scambio attivo dell’ufficio.',
      en: 'This token does not belong to an active exchange partner of the office.',
    },
  },
  'exchange-sender-mismatch': {
    title: { de: 'Falscher Absender', fr: 'Mauvais expéditeur', it: 'Mittente errato', en: 'Wrong sender' },
    detail: {
      de: 'Die Meldung nennt den Absender {{sender}}, das Token gehört aber zum Partner {{participant}}.',
      fr: 'Le message indique l’expéditeur {{sender}}, mais le jeton appartient au partenaire {{participant}}.',
      it: 'Il messaggio indica il mittente {{sender}}, ma il token appartiene al partner {{participant}}.',
      en: 'The message names the sender {{sender}}, but the token belongs to the partner {{participant}}.',
    },
  },
  'exchange-not-quarantined': {
    title: { de: 'Nicht in Quarantäne', fr: 'Pas en quarantaine', it: 'Non in quarantena', en: 'Not in quarantine' },
    detail: {
      de: 'Diese Meldung ist nicht (mehr) in Quarantäne, sondern «{{status}}».',
      fr: 'Ce message n’est pas (plus) en quarantaine, mais « {{status}} ».',
      it: 'Questo messaggio non è (più) in quarantena, ma «{{status}}».',
      en: 'This message is not (or no longer) in quarantine but "{{status}}".',
    },
  },
  'exchange-invalid-report-file': {
    title: { de: 'Meldedatei ungültig', fr: 'Fichier d’annonces non valable', it: 'File di notifiche non valido', en: 'Invalid report file' },
    detail: {
      de: 'Die Datei entspricht nicht dem dokumentierten CSV-Format ({{count}} Fehler). Erster Fehler in Zeile {{line}}: {{problem}}',
      fr: 'Le fichier ne respecte pas le format CSV documenté ({{count}} erreur(s)). Première erreur à la ligne {{line}} : {{problem}}',
      it: 'Il file non rispetta il formato CSV documentato ({{count}} errore/i). Primo errore alla riga {{line}}: {{problem}}',
      en: 'The file does not follow the documented CSV layout ({{count}} problem(s)). First problem on line {{line}}: {{problem}}',
    },
  },
  'amount-not-a-number': {
    title: { de: 'Kein Betrag', fr: 'Pas un montant', it: 'Non è un importo', en: 'Not an amount' },
    detail: {
      de: '«{{amount}}» ist kein Betrag. Bitte eine Zahl mit höchstens zwei Nachkommastellen angeben, z. B. 95 oder 95.50.',
      fr: '« {{amount}} » n’est pas un montant. Indiquez un nombre avec deux décimales au plus, p. ex. 95 ou 95.50.',
      it: '«{{amount}}» non è un importo. Indichi un numero con al massimo due decimali, p. es. 95 o 95.50.',
      en: '"{{amount}}" is not an amount. Give a number with at most two decimals, e.g. 95 or 95.50.',
    },
  },
  'amount-too-many-decimals': {
    title: { de: 'Zu viele Nachkommastellen', fr: 'Trop de décimales', it: 'Troppi decimali', en: 'Too many decimals' },
    detail: {
      de: 'Der Betrag {{amount}} hat mehr als zwei Nachkommastellen; Franken und Euro kennen nur Rappen bzw. Cent.',
      fr: 'Le montant {{amount}} a plus de deux décimales ; francs et euros ne connaissent que les centimes.',
      it: 'L’importo {{amount}} ha più di due decimali; franchi ed euro hanno solo i centesimi.',
      en: 'The amount {{amount}} has more than two decimals; francs and euros only have cents.',
    },
  },
  'amount-negative': {
    title: { de: 'Negativer Betrag', fr: 'Montant négatif', it: 'Importo negativo', en: 'Negative amount' },
    detail: {
      de: 'Der Betrag {{amount}} ist negativ. Eine Zahlung ist immer positiv; Rückzahlungen werden in der Klärungsliste erfasst.',
      fr: 'Le montant {{amount}} est négatif. Un paiement est toujours positif ; les remboursements se saisissent dans la liste de clarification.',
      it: 'L’importo {{amount}} è negativo. Un pagamento è sempre positivo; i rimborsi si registrano nella lista di chiarimento.',
      en: 'The amount {{amount}} is negative. A payment is always positive; refunds are recorded on the clarification list.',
    },
  },
  'amount-zero': {
    title: { de: 'Betrag null', fr: 'Montant nul', it: 'Importo nullo', en: 'Zero amount' },
    detail: {
      de: 'Der Betrag ist null. Bitte den bezahlten Betrag angeben.',
      fr: 'Le montant est nul. Indiquez le montant payé.',
      it: 'L’importo è nullo. Indichi l’importo pagato.',
      en: 'The amount is zero. Give the amount paid.',
    },
  },
  'amount-too-large': {
    title: { de: 'Betrag zu hoch', fr: 'Montant trop élevé', it: 'Importo troppo alto', en: 'Amount too large' },
    detail: {
      de: 'Der Betrag {{amount}} ist unplausibel hoch (über 10 Millionen). Bitte prüfen.',
      fr: 'Le montant {{amount}} est invraisemblablement élevé (plus de 10 millions). Vérifiez-le.',
      it: 'L’importo {{amount}} è inverosimilmente alto (oltre 10 milioni). Lo verifichi.',
      en: 'The amount {{amount}} is implausibly large (over 10 million). Please check it.',
    },
  },
  'fine-above-maximum': {
    title: { de: 'Busse über dem Höchstbetrag', fr: 'Amende au-dessus du maximum', it: 'Multa oltre il massimo', en: 'Fine above the maximum' },
    detail: {
      de: 'Eine Busse wegen Verletzung der Meldepflicht beträgt höchstens CHF 1000 (NG § 18); {{amount}} ist zu hoch.',
      fr: 'Une amende pour violation de l’obligation de s’annoncer est de CHF 1000 au plus (NG § 18) ; {{amount}} est trop élevé.',
      it: 'Una multa per violazione dell’obbligo di notificarsi ammonta al massimo a CHF 1000 (NG § 18); {{amount}} è troppo alto.',
      en: 'A fine for breaching the duty to register is at most CHF 1,000 (NG § 18); {{amount}} is too much.',
    },
  },
  'fine-not-positive': {
    title: { de: 'Busse ohne Betrag', fr: 'Amende sans montant', it: 'Multa senza importo', en: 'Fine without an amount' },
    detail: {
      de: 'Eine Busse braucht einen positiven Betrag (höchstens CHF 1000).',
      fr: 'Une amende doit avoir un montant positif (CHF 1000 au plus).',
      it: 'Una multa richiede un importo positivo (al massimo CHF 1000).',
      en: 'A fine needs a positive amount (at most CHF 1,000).',
    },
  },
  'fine-without-reminder': {
    title: { de: 'Keine Mahnung', fr: 'Pas de rappel', it: 'Nessun sollecito', en: 'No reminder' },
    detail: {
      de: 'Eine Busse ist erst nach einer Mahnung mit Frist möglich (NG § 18). In diesem Fall ist keine Mahnung erfasst.',
      fr: 'Une amende n’est possible qu’après un rappel avec délai (NG § 18). Aucun rappel n’est enregistré dans ce dossier.',
      it: 'Una multa è possibile solo dopo un sollecito con termine (NG § 18). In questa pratica non è registrato alcun sollecito.',
      en: 'A fine is only possible after a reminder with a deadline (NG § 18). No reminder is recorded in this case.',
    },
  },
  'fine-reminder-running': {
    title: { de: 'Mahnfrist läuft noch', fr: 'Délai du rappel en cours', it: 'Termine del sollecito ancora in corso', en: 'Reminder deadline still running' },
    detail: {
      de: 'Die Frist der Mahnung läuft bis {{date}}. Eine Busse ist erst möglich, wenn sie abgelaufen ist (NG § 18).',
      fr: 'Le délai du rappel court jusqu’au {{date}}. Une amende n’est possible qu’après son échéance (NG § 18).',
      it: 'Il termine del sollecito scade il {{date}}. Una multa è possibile solo dopo la scadenza (NG § 18).',
      en: 'The reminder’s deadline runs until {{date}}. A fine is only possible once it has passed (NG § 18).',
    },
  },
  'fine-reminder-met': {
    title: { de: 'Pflicht erfüllt', fr: 'Obligation remplie', it: 'Obbligo adempiuto', en: 'Duty fulfilled' },
    detail: {
      de: 'Die Person ist der Mahnung nachgekommen; eine Busse ist nicht mehr möglich.',
      fr: 'La personne a donné suite au rappel ; une amende n’est plus possible.',
      it: 'La persona ha dato seguito al sollecito; una multa non è più possibile.',
      en: 'The person complied with the reminder; a fine is no longer possible.',
    },
  },
  'fee-reason-required': {
    title: { de: 'Begründung fehlt', fr: 'Motif manquant', it: 'Motivazione mancante', en: 'Reason missing' },
    detail: {
      de: 'Eine Ermässigung oder ein Erlass der Gebühr braucht eine Begründung.',
      fr: 'Une réduction ou une remise de l’émolument doit être motivée.',
      it: 'Una riduzione o un condono dell’emolumento richiede una motivazione.',
      en: 'A reduction or waiver of the fee needs a reason.',
    },
  },
  'fee-not-a-reduction': {
    title: { de: 'Keine Ermässigung', fr: 'Pas une réduction', it: 'Non è una riduzione', en: 'Not a reduction' },
    detail: {
      de: 'Die Gebühr nach Tarif beträgt {{fee}}. Sie kann nur gesenkt oder erlassen (0) werden, nicht erhöht.',
      fr: 'L’émolument selon le tarif est de {{fee}}. Il ne peut qu’être réduit ou remis (0), pas augmenté.',
      it: 'L’emolumento secondo la tariffa è di {{fee}}. Può solo essere ridotto o condonato (0), non aumentato.',
      en: 'The fee by the tariff is {{fee}}. It can only be lowered or waived (0), not raised.',
    },
  },
  'fee-nothing-to-adjust': {
    title: { de: 'Keine Gebühr', fr: 'Pas d’émolument', it: 'Nessun emolumento', en: 'No fee' },
    detail: {
      de: 'Für diesen Schritt sieht der Tarif keine Gebühr vor; es gibt nichts zu ermässigen.',
      fr: 'Le tarif ne prévoit pas d’émolument pour cette étape ; il n’y a rien à réduire.',
      it: 'La tariffa non prevede emolumenti per questo passo; non c’è nulla da ridurre.',
      en: 'The tariff charges no fee for this step; there is nothing to reduce.',
    },
  },
  'finance-not-configured': {
    title: { de: 'Rechnungsstellung nicht eingerichtet', fr: 'Facturation non configurée', it: 'Fatturazione non configurata', en: 'Invoicing not set up' },
    detail: {
      de: 'Für dieses Amt sind noch kein Konto und keine Absenderadresse für Rechnungen erfasst. Eine Administratorin kann sie unter Finanzen › Einstellungen erfassen.',
      fr: 'Aucun compte ni adresse d’expéditeur n’est encore saisi pour les factures de cet office. Un administrateur peut les saisir sous Finances › Paramètres.',
      it: 'Per questo ufficio non sono ancora registrati un conto e un indirizzo del mittente per le fatture. Un amministratore può registrarli in Finanze › Impostazioni.',
      en: 'No account and sender address for invoices are set up for this office yet. An administrator can enter them under Finance › Settings.',
    },
  },
  'finance-qr-iban': {
    title: { de: 'Keine QR-IBAN', fr: 'Pas un QR-IBAN', it: 'Non è un QR-IBAN', en: 'Not a QR-IBAN' },
    detail: {
      de: '{{account}} ist keine gültige QR-IBAN. Rechnungen mit QR-Referenz brauchen die QR-IBAN des Kontos (Institutsidentifikation 30000–31999).',
      fr: '{{account}} n’est pas un QR-IBAN valable. Les factures avec référence QR exigent le QR-IBAN du compte (IID 30000–31999).',
      it: '{{account}} non è un QR-IBAN valido. Le fatture con riferimento QR richiedono il QR-IBAN del conto (IID 30000–31999).',
      en: '{{account}} is not a valid QR-IBAN. Invoices with a QR reference need the account’s QR-IBAN (institution id 30000–31999).',
    },
  },
  'finance-iban': {
    title: { de: 'Keine gültige IBAN', fr: 'IBAN non valable', it: 'IBAN non valido', en: 'Not a valid IBAN' },
    detail: {
      de: '{{account}} ist keine gültige IBAN (Prüfziffer oder Länge stimmt nicht).',
      fr: '{{account}} n’est pas un IBAN valable (clé de contrôle ou longueur erronée).',
      it: '{{account}} non è un IBAN valido (cifra di controllo o lunghezza errata).',
      en: '{{account}} is not a valid IBAN (check digits or length wrong).',
    },
  },
  'camt-not-xml': {
    title: { de: 'Keine lesbare Bankdatei', fr: 'Fichier bancaire illisible', it: 'File bancario illeggibile', en: 'Not a readable bank file' },
    detail: {
      de: 'Die Datei ist kein lesbares XML: {{problem}}. Nichts wurde gebucht.',
      fr: 'Le fichier n’est pas un XML lisible : {{problem}}. Rien n’a été comptabilisé.',
      it: 'Il file non è un XML leggibile: {{problem}}. Nulla è stato contabilizzato.',
      en: 'The file is not readable XML: {{problem}}. Nothing was booked.',
    },
  },
  'camt-not-camt': {
    title: { de: 'Keine camt-Datei', fr: 'Pas un fichier camt', it: 'Non è un file camt', en: 'Not a camt file' },
    detail: {
      de: 'Die Datei ist kein Kontoauszug (camt.053) und keine Gutschriftsanzeige (camt.054): {{problem}}. Nichts wurde gebucht.',
      fr: 'Le fichier n’est ni un relevé de compte (camt.053) ni un avis de crédit (camt.054) : {{problem}}. Rien n’a été comptabilisé.',
      it: 'Il file non è né un estratto conto (camt.053) né un avviso di accredito (camt.054): {{problem}}. Nulla è stato contabilizzato.',
      en: 'The file is neither a bank statement (camt.053) nor a credit notification (camt.054): {{problem}}. Nothing was booked.',
    },
  },
  'camt-unsupported-version': {
    title: { de: 'camt-Version nicht unterstützt', fr: 'Version camt non prise en charge', it: 'Versione camt non supportata', en: 'camt version not supported' },
    detail: {
      de: 'Diese camt-Version wird nicht unterstützt: {{problem}}. Nichts wurde gebucht.',
      fr: 'Cette version camt n’est pas prise en charge : {{problem}}. Rien n’a été comptabilisé.',
      it: 'Questa versione camt non è supportata: {{problem}}. Nulla è stato contabilizzato.',
      en: 'This camt version is not supported: {{problem}}. Nothing was booked.',
    },
  },
  'camt-malformed': {
    title: { de: 'Fehlerhafte Bankdatei', fr: 'Fichier bancaire erroné', it: 'File bancario errato', en: 'Faulty bank file' },
    detail: {
      de: 'Die Bankdatei ist fehlerhaft: {{problem}}. Nichts wurde gebucht; bitte bei der Bank eine korrigierte Datei verlangen.',
      fr: 'Le fichier bancaire est erroné : {{problem}}. Rien n’a été comptabilisé ; demandez un fichier corrigé à la banque.',
      it: 'Il file bancario è errato: {{problem}}. Nulla è stato contabilizzato; chieda alla banca un file corretto.',
      en: 'The bank file is faulty: {{problem}}. Nothing was booked; ask the bank for a corrected file.',
    },
  },
  'invoice-not-open': {
    title: { de: 'Rechnung nicht offen', fr: 'Facture non ouverte', it: 'Fattura non aperta', en: 'Invoice not open' },
    detail: {
      de: 'Diese Rechnung ist nicht mehr offen (Status: {{status}}); es kann nichts mehr darauf gebucht werden.',
      fr: 'Cette facture n’est plus ouverte (statut : {{status}}) ; rien ne peut plus y être comptabilisé.',
      it: 'Questa fattura non è più aperta (stato: {{status}}); non si può più contabilizzare nulla.',
      en: 'This invoice is no longer open (status: {{status}}); nothing more can be booked to it.',
    },
  },
  'counter-overpayment': {
    title: { de: 'Mehr als offen', fr: 'Plus que le solde', it: 'Più del saldo', en: 'More than is open' },
    detail: {
      de: 'Es sind nur noch {{open}} offen; {{amount}} ist zu viel. Am Schalter wird höchstens der offene Betrag gebucht.',
      fr: 'Il ne reste que {{open}} à payer ; {{amount}} est trop. Au guichet, on comptabilise au plus le solde ouvert.',
      it: 'Restano aperti solo {{open}}; {{amount}} è troppo. Allo sportello si contabilizza al massimo il saldo aperto.',
      en: 'Only {{open}} is still open; {{amount}} is too much. At the counter, at most the open amount is booked.',
    },
  },
  'payment-not-in-clarification': {
    title: { de: 'Nicht in Klärung', fr: 'Pas en clarification', it: 'Non in chiarimento', en: 'Not being clarified' },
    detail: {
      de: 'Diese Zahlung steht nicht (mehr) auf der Klärungsliste.',
      fr: 'Ce paiement n’est pas (plus) sur la liste de clarification.',
      it: 'Questo pagamento non è (più) nella lista di chiarimento.',
      en: 'This payment is not (or no longer) on the clarification list.',
    },
  },
  'resolution-note-required': {
    title: { de: 'Notiz fehlt', fr: 'Note manquante', it: 'Nota mancante', en: 'Note missing' },
    detail: {
      de: 'Bitte kurz festhalten, was mit dem Geld geschieht (z. B. «an Absender zurückbezahlt am …»).',
      fr: 'Indiquez brièvement ce qu’il advient de l’argent (p. ex. « remboursé à l’expéditeur le … »).',
      it: 'Indichi brevemente che cosa succede con il denaro (p. es. «rimborsato al mittente il …»).',
      en: 'Note briefly what happens to the money (e.g. "paid back to the sender on …").',
    },
  },
  'payment-nothing-to-book': {
    title: { de: 'Nichts zu buchen', fr: 'Rien à comptabiliser', it: 'Nulla da contabilizzare', en: 'Nothing to book' },
    detail: {
      de: 'Diese Zahlung ist schon vollständig gebucht.',
      fr: 'Ce paiement est déjà entièrement comptabilisé.',
      it: 'Questo pagamento è già interamente contabilizzato.',
      en: 'This payment is already booked in full.',
    },
  },
  'payment-nothing-to-refund': {
    title: { de: 'Nichts zurückzuzahlen', fr: 'Rien à rembourser', it: 'Nulla da rimborsare', en: 'Nothing to refund' },
    detail: {
      de: 'Von dieser Zahlung ist nichts mehr ungebucht, das zurückbezahlt werden könnte.',
      fr: 'Il ne reste rien de non comptabilisé à rembourser sur ce paiement.',
      it: 'Di questo pagamento non resta nulla di non contabilizzato da rimborsare.',
      en: 'Nothing of this payment is left unbooked to refund.',
    },
  },
  'payment-currency': {
    title: { de: 'Andere Währung', fr: 'Autre monnaie', it: 'Altra valuta', en: 'Other currency' },
    detail: {
      de: 'Die Zahlung ist in {{payment}}, die Rechnung in {{invoice}}.',
      fr: 'Le paiement est en {{payment}}, la facture en {{invoice}}.',
      it: 'Il pagamento è in {{payment}}, la fattura in {{invoice}}.',
      en: 'The payment is in {{payment}}, the invoice in {{invoice}}.',
    },
  },
  'payment-exceeds-invoice': {
    title: { de: 'Mehr als offen', fr: 'Plus que le solde', it: 'Più del saldo', en: 'More than is open' },
    detail: {
      de: 'Ungebucht sind {{amount}}, auf der Rechnung sind nur {{open}} offen. Bitte den Rest zurückzahlen oder eine andere Rechnung wählen.',
      fr: 'Il reste {{amount}} non comptabilisés, la facture n’a que {{open}} ouverts. Remboursez le reste ou choisissez une autre facture.',
      it: 'Restano {{amount}} non contabilizzati, la fattura ha solo {{open}} aperti. Rimborsi il resto o scelga un’altra fattura.',
      en: '{{amount}} is unbooked but the invoice has only {{open}} open. Refund the rest or choose another invoice.',
    },
  },
  'payment-split': {
    title: { de: 'Schon teilweise gebucht', fr: 'Déjà partiellement comptabilisé', it: 'Già contabilizzato in parte', en: 'Already partly booked' },
    detail: {
      de: 'Ein Teil dieser Zahlung ist schon auf eine andere Rechnung gebucht. Den Rest zurückzahlen oder als erledigt vermerken.',
      fr: 'Une partie de ce paiement est déjà comptabilisée sur une autre facture. Remboursez le reste ou marquez-le comme réglé.',
      it: 'Una parte di questo pagamento è già contabilizzata su un’altra fattura. Rimborsi il resto o lo segni come evaso.',
      en: 'Part of this payment is already booked to another invoice. Refund the rest or mark it as settled.',
    },
  },
  'deposit-not-owed-category-not-concerned': {
    title: { de: 'Keine Kaution geschuldet', fr: 'Pas de sûretés dues', it: 'Nessuna cauzione dovuta', en: 'No deposit owed' },
    detail: {
      de: 'Eine Kaution nach NG § 15a ist nur bei Erteilung einer Bewilligung B oder C oder bei vorläufig Aufgenommenen (F) geschuldet; diese Person hat keine solche Bewilligung.',
      fr: 'Des sûretés selon la NG § 15a ne sont dues qu’à l’octroi d’une autorisation B ou C ou pour les personnes admises à titre provisoire (F) ; cette personne n’a pas une telle autorisation.',
      it: 'Una cauzione secondo la NG § 15a è dovuta solo al rilascio di un permesso B o C o per le persone ammesse provvisoriamente (F); questa persona non ha un tale permesso.',
      en: 'A deposit under NG § 15a is owed only when a B or C permit is granted or by provisionally admitted persons (F); this person holds no such permit.',
    },
  },
  'deposit-not-owed-has-valid-passport': {
    title: { de: 'Keine Kaution geschuldet', fr: 'Pas de sûretés dues', it: 'Nessuna cauzione dovuta', en: 'No deposit owed' },
    detail: {
      de: 'Die Person hat einen gültigen, anerkannten Nationalpass hinterlegt; nach NG § 15a ist keine Kaution geschuldet.',
      fr: 'La personne a déposé un passeport national valable et reconnu ; selon la NG § 15a, aucunes sûretés ne sont dues.',
      it: 'La persona ha depositato un passaporto nazionale valido e riconosciuto; secondo la NG § 15a non è dovuta alcuna cauzione.',
      en: 'The person has deposited a valid, recognised national passport; under NG § 15a no deposit is owed.',
    },
  },
  'deposit-not-owed-not-self-supporting': {
    title: { de: 'Keine Kaution geschuldet', fr: 'Pas de sûretés dues', it: 'Nessuna cauzione dovuta', en: 'No deposit owed' },
    detail: {
      de: 'Vorläufig Aufgenommene schulden eine Kaution nur, wenn sie für sich selbst sorgen (NG § 15a).',
      fr: 'Les personnes admises à titre provisoire ne doivent des sûretés que si elles subviennent à leurs besoins (NG § 15a).',
      it: 'Le persone ammesse provvisoriamente devono una cauzione solo se provvedono a sé stesse (NG § 15a).',
      en: 'Provisionally admitted persons owe a deposit only when they support themselves (NG § 15a).',
    },
  },
  'deposit-instalments': {
    title: { de: 'Ungültige Raten', fr: 'Acomptes non valables', it: 'Rate non valide', en: 'Invalid instalments' },
    detail: {
      de: 'Die Kaution kann in 1 bis {{max}} Raten bezahlt werden.',
      fr: 'Les sûretés peuvent être payées en 1 à {{max}} acomptes.',
      it: 'La cauzione può essere pagata in 1–{{max}} rate.',
      en: 'The deposit can be paid in 1 to {{max}} instalments.',
    },
  },
  'deposit-exists': {
    title: { de: 'Kaution besteht schon', fr: 'Sûretés déjà existantes', it: 'Cauzione già esistente', en: 'Deposit exists already' },
    detail: {
      de: 'Für diese Person besteht schon eine offene oder gehaltene Kaution.',
      fr: 'Des sûretés ouvertes ou détenues existent déjà pour cette personne.',
      it: 'Per questa persona esiste già una cauzione aperta o detenuta.',
      en: 'This person already has an open or held deposit.',
    },
  },
  'deposit-state': {
    title: { de: 'Schritt nicht möglich', fr: 'Étape impossible', it: 'Passo non possibile', en: 'Step not possible' },
    detail: {
      de: 'Im Status «{{status}}» ist dieser Schritt bei der Kaution nicht möglich.',
      fr: 'Au statut « {{status}} », cette étape n’est pas possible pour les sûretés.',
      it: 'Nello stato «{{status}}» questo passo non è possibile per la cauzione.',
      en: 'This step is not possible for a deposit in status "{{status}}".',
    },
  },
  'waiver-reason-required': {
    title: { de: 'Begründung fehlt', fr: 'Motif manquant', it: 'Motivazione mancante', en: 'Reason missing' },
    detail: {
      de: 'Ein Erlass der Kaution wegen Härte braucht eine Begründung.',
      fr: 'Une remise des sûretés pour rigueur doit être motivée.',
      it: 'Un condono della cauzione per rigore richiede una motivazione.',
      en: 'Waiving the deposit in hardship needs a reason.',
    },
  },
  'waiver-own-request': {
    title: { de: 'Vier-Augen-Prinzip', fr: 'Principe des quatre yeux', it: 'Principio dei quattro occhi', en: 'Four-eyes principle' },
    detail: {
      de: 'Über einen Erlass entscheidet eine zweite Person: wer ihn beantragt hat, kann ihn nicht selbst bewilligen.',
      fr: 'Une deuxième personne décide de la remise : qui l’a demandée ne peut pas l’approuver.',
      it: 'Sul condono decide una seconda persona: chi l’ha chiesto non può approvarlo.',
      en: 'A second person decides on a waiver: whoever asked for it cannot approve it.',
    },
  },
  'invalid-year': {
    title: { de: 'Ungültiges Jahr', fr: 'Année non valable', it: 'Anno non valido', en: 'Invalid year' },
    detail: {
      de: '{{year}} ist kein gültiges Rechnungsjahr.',
      fr: '{{year}} n’est pas un exercice valable.',
      it: '{{year}} non è un esercizio valido.',
      en: '{{year}} is not a valid accounting year.',
    },
  },
  // --- portal (issue 9: accounts and mandates) ---
  'portal-token-invalid': {
    title: { de: 'Link ungültig', fr: 'Lien non valable', it: 'Link non valido', en: 'Invalid link' },
    detail: {
      de: 'Dieser Link ist ungültig. Bitte verwenden Sie den Link aus der letzten E-Mail oder fordern Sie einen neuen an.',
      fr: 'Ce lien n’est pas valable. Utilisez le lien du dernier e-mail ou demandez-en un nouveau.',
      it: 'Questo link non è valido. Usi il link dell’ultima e-mail o ne richieda uno nuovo.',
      en: 'This link is not valid. Use the link from the latest e-mail or ask for a new one.',
    },
  },
  'portal-token-expired': {
    title: { de: 'Link abgelaufen', fr: 'Lien expiré', it: 'Link scaduto', en: 'Link expired' },
    detail: {
      de: 'Dieser Link ist abgelaufen. Bitte fordern Sie einen neuen an.',
      fr: 'Ce lien a expiré. Veuillez en demander un nouveau.',
      it: 'Questo link è scaduto. Ne richieda uno nuovo.',
      en: 'This link has expired. Please ask for a new one.',
    },
  },
  'portal-token-used': {
    title: { de: 'Link schon verwendet', fr: 'Lien déjà utilisé', it: 'Link già usato', en: 'Link already used' },
    detail: {
      de: 'Dieser Link wurde schon verwendet und gilt nur einmal. Melden Sie sich an oder fordern Sie einen neuen Link an.',
      fr: 'Ce lien a déjà été utilisé et ne vaut qu’une fois. Connectez-vous ou demandez un nouveau lien.',
      it: 'Questo link è già stato usato e vale una sola volta. Effettui l’accesso o richieda un nuovo link.',
      en: 'This link has already been used and works only once. Sign in or ask for a new link.',
    },
  },
  'portal-account-not-linked': {
    title: { de: 'Konto nicht bestätigt', fr: 'Compte non confirmé', it: 'Conto non confermato', en: 'Account not confirmed' },
    detail: {
      de: 'Ihr Konto ist noch mit keiner Person im Register verbunden. Das Amt verbindet es, nachdem es Ihre Identität am Schalter geprüft hat.',
      fr: 'Votre compte n’est encore lié à aucune personne du registre. L’office le lie après avoir vérifié votre identité au guichet.',
      it: 'Il suo conto non è ancora collegato a una persona del registro. L’ufficio lo collega dopo aver verificato la sua identità allo sportello.',
      en: 'Your account is not yet linked to a person in the register. The office links it after checking your identity at the counter.',
    },
  },
  'portal-mandate-self': {
    title: { de: 'Vollmacht an sich selbst', fr: 'Procuration à soi-même', it: 'Procura a sé stessi', en: 'Mandate to oneself' },
    detail: {
      de: 'Eine Vollmacht kann nicht an das eigene Konto erteilt werden.',
      fr: 'Une procuration ne peut pas être donnée à son propre compte.',
      it: 'Una procura non può essere conferita al proprio conto.',
      en: 'A mandate cannot be given to one’s own account.',
    },
  },
  'portal-mandate-revoked': {
    title: { de: 'Vollmacht schon widerrufen', fr: 'Procuration déjà révoquée', it: 'Procura già revocata', en: 'Mandate already revoked' },
    detail: {
      de: 'Diese Vollmacht wurde schon widerrufen.',
      fr: 'Cette procuration a déjà été révoquée.',
      it: 'Questa procura è già stata revocata.',
      en: 'This mandate has already been revoked.',
    },
  },
  'invitation-invalid': {
    title: { de: 'Einladung unbekannt', fr: 'Invitation inconnue', it: 'Invito sconosciuto', en: 'Unknown invitation' },
    detail: {
      de: 'Dieser Link zur Terminbuchung ist ungültig. Verwenden Sie den Link aus der E-Mail des Amts oder fragen Sie nach einer neuen Einladung.',
      fr: 'Ce lien de prise de rendez-vous n’est pas valable. Utilisez le lien de l’e-mail de l’office ou demandez une nouvelle invitation.',
      it: 'Questo link per prenotare un appuntamento non è valido. Usi il link dell’e-mail dell’ufficio o chieda un nuovo invito.',
      en: 'This booking link is not valid. Use the link from the office’s e-mail or ask for a new invitation.',
    },
  },
  'invitation-expired': {
    title: { de: 'Einladung abgelaufen', fr: 'Invitation expirée', it: 'Invito scaduto', en: 'Invitation expired' },
    detail: {
      de: 'Diese Einladung zur Terminbuchung gilt nicht mehr. Bitte melden Sie sich beim Amt für eine neue Einladung.',
      fr: 'Cette invitation à prendre rendez-vous n’est plus valable. Veuillez contacter l’office pour une nouvelle invitation.',
      it: 'Questo invito a prenotare un appuntamento non è più valido. Contatti l’ufficio per un nuovo invito.',
      en: 'This invitation to book an appointment is no longer valid. Please contact the office for a new invitation.',
    },
  },
  'slot-taken': {
    title: { de: 'Termin schon vergeben', fr: 'Créneau déjà pris', it: 'Orario già occupato', en: 'Slot already taken' },
    detail: {
      de: 'Jemand anderes hat diesen Termin soeben gebucht. Bitte wählen Sie einen anderen freien Termin.',
      fr: 'Quelqu’un d’autre vient de réserver ce créneau. Veuillez choisir un autre créneau libre.',
      it: 'Qualcun altro ha appena prenotato questo orario. Scelga un altro orario libero.',
      en: 'Someone else has just booked this slot. Please choose another free slot.',
    },
  },
  'appointment-slot-unavailable': {
    title: { de: 'Kein buchbarer Termin', fr: 'Créneau non réservable', it: 'Orario non prenotabile', en: 'Not a bookable slot' },
    detail: {
      de: 'Zu dieser Zeit gibt es keinen buchbaren Termin (Öffnungszeiten, Feiertag, Schliessung oder Gültigkeit der Einladung). Wählen Sie einen Termin aus der Liste.',
      fr: 'Il n’y a pas de créneau réservable à cette heure (horaires, jour férié, fermeture ou validité de l’invitation). Choisissez un créneau de la liste.',
      it: 'A quest’ora non c’è un orario prenotabile (orari d’apertura, giorno festivo, chiusura o validità dell’invito). Scelga un orario dalla lista.',
      en: 'There is no bookable slot at this time (opening hours, public holiday, closure or the invitation’s validity). Choose a slot from the list.',
    },
  },
  'appointment-already-booked': {
    title: { de: 'Schon gebucht', fr: 'Déjà réservé', it: 'Già prenotato', en: 'Already booked' },
    detail: {
      de: 'Mit dieser Einladung ist schon ein Termin gebucht. Verschieben oder stornieren Sie ihn.',
      fr: 'Un rendez-vous est déjà réservé avec cette invitation. Déplacez-le ou annulez-le.',
      it: 'Con questo invito è già prenotato un appuntamento. Lo sposti o lo disdica.',
      en: 'An appointment is already booked with this invitation. Move or cancel it.',
    },
  },
  'appointment-not-booked': {
    title: { de: 'Kein Termin gebucht', fr: 'Aucun rendez-vous réservé', it: 'Nessun appuntamento prenotato', en: 'No appointment booked' },
    detail: {
      de: 'Mit dieser Einladung ist zurzeit kein Termin gebucht.',
      fr: 'Aucun rendez-vous n’est actuellement réservé avec cette invitation.',
      it: 'Con questo invito non è attualmente prenotato alcun appuntamento.',
      en: 'No appointment is currently booked with this invitation.',
    },
  },
  'appointment-not-open': {
    title: { de: 'Termin abgeschlossen', fr: 'Rendez-vous clos', it: 'Appuntamento chiuso', en: 'Appointment closed' },
    detail: {
      de: 'Der Termin hat schon den Stand «{{status}}» und kann nicht mehr geändert werden.',
      fr: 'Le rendez-vous a déjà le statut « {{status}} » et ne peut plus être modifié.',
      it: 'L’appuntamento ha già lo stato «{{status}}» e non può più essere modificato.',
      en: 'The appointment is already "{{status}}" and can no longer be changed.',
    },
  },
  'appointment-range-too-long': {
    title: { de: 'Zeitraum zu lang', fr: 'Période trop longue', it: 'Periodo troppo lungo', en: 'Range too long' },
    detail: {
      de: 'Freie Termine können für höchstens {{max}} Tage auf einmal abgefragt werden.',
      fr: 'Les créneaux libres peuvent être demandés pour {{max}} jours au plus à la fois.',
      it: 'Gli orari liberi possono essere richiesti per al massimo {{max}} giorni alla volta.',
      en: 'Free slots can be asked for at most {{max}} days at once.',
    },
  },
  'application-sent': {
    title: { de: 'Antrag schon gesendet', fr: 'Demande déjà envoyée', it: 'Domanda già inviata', en: 'Application already sent' },
    detail: {
      de: 'Dieser Antrag ist schon beim Amt. Änderungen schicken Sie bitte als Nachricht zum Fall.',
      fr: 'Cette demande est déjà à l’office. Envoyez les modifications comme message dans le dossier.',
      it: 'Questa domanda è già all’ufficio. Invii le modifiche come messaggio nell’incarto.',
      en: 'This application is already with the office. Please send changes as a message on the case.',
    },
  },
  'application-incomplete': {
    title: { de: 'Antrag noch nicht vollständig', fr: 'Demande pas encore complète', it: 'Domanda non ancora completa', en: 'Application not complete yet' },
    detail: {
      de: 'Es fehlen noch Angaben oder Dokumente. Die Liste zeigt, was noch fehlt.',
      fr: 'Il manque encore des informations ou des documents. La liste indique ce qui manque.',
      it: 'Mancano ancora dati o documenti. La lista mostra cosa manca.',
      en: 'Some answers or documents are still missing. The list shows what is missing.',
    },
  },
  'form-not-offered': {
    title: { de: 'Antrag nicht möglich', fr: 'Demande impossible', it: 'Domanda non possibile', en: 'Application not possible' },
    detail: {
      de: 'Diesen Antrag können Sie für diese Person online nicht stellen ({{reason}}). Bitte melden Sie sich beim Amt.',
      fr: 'Vous ne pouvez pas déposer cette demande en ligne pour cette personne ({{reason}}). Veuillez contacter l’office.',
      it: 'Non può presentare questa domanda online per questa persona ({{reason}}). Contatti l’ufficio.',
      en: 'You cannot file this application online for this person ({{reason}}). Please contact the office.',
    },
  },
  'upload-too-large': {
    title: { de: 'Datei zu gross', fr: 'Fichier trop volumineux', it: 'File troppo grande', en: 'File too large' },
    detail: {
      de: 'Eine Datei darf höchstens {{max}} MB haben, alle Dateien eines Antrags zusammen höchstens {{total}} MB. Verkleinern Sie die Datei (z. B. als PDF mit kleinerer Auflösung scannen).',
      fr: 'Un fichier peut faire au plus {{max}} Mo, tous les fichiers d’une demande au plus {{total}} Mo. Réduisez le fichier (p. ex. scanner en PDF avec une résolution plus basse).',
      it: 'Un file può avere al massimo {{max}} MB, tutti i file di una domanda al massimo {{total}} MB. Riduca il file (p. es. scansione in PDF con risoluzione più bassa).',
      en: 'A file may be at most {{max}} MB, all files of an application together at most {{total}} MB. Make the file smaller (e.g. scan to PDF at a lower resolution).',
    },
  },
  'upload-type': {
    title: { de: 'Dateiart nicht möglich', fr: 'Type de fichier impossible', it: 'Tipo di file non possibile', en: 'File type not accepted' },
    detail: {
      de: 'Bitte laden Sie ein PDF, ein JPEG- oder ein PNG-Bild hoch. Diese Datei ist keines davon.',
      fr: 'Veuillez téléverser un PDF ou une image JPEG ou PNG. Ce fichier n’est rien de cela.',
      it: 'Carichi un PDF o un’immagine JPEG o PNG. Questo file non è nessuno di questi.',
      en: 'Please upload a PDF, a JPEG or a PNG image. This file is none of these.',
    },
  },
  'upload-too-many': {
    title: { de: 'Zu viele Dateien', fr: 'Trop de fichiers', it: 'Troppi file', en: 'Too many files' },
    detail: {
      de: 'Für dieses Dokument sind höchstens {{max}} Dateien möglich. Löschen Sie zuerst eine.',
      fr: 'Ce document admet au plus {{max}} fichiers. Supprimez-en d’abord un.',
      it: 'Per questo documento sono possibili al massimo {{max}} file. Ne cancelli prima uno.',
      en: 'This document takes at most {{max}} files. Delete one first.',
    },
  },
  'portal-account-linked': {
    title: { de: 'Konto schon verbunden', fr: 'Compte déjà lié', it: 'Conto già collegato', en: 'Account already linked' },
    detail: {
      de: 'Ihr Konto ist schon mit einer Person verbunden. Ist das falsch, melden Sie sich bitte beim Amt.',
      fr: 'Votre compte est déjà lié à une personne. Si c’est une erreur, contactez l’office.',
      it: 'Il Suo conto è già collegato a una persona. Se è un errore, contatti l’ufficio.',
      en: 'Your account is already linked to a person. If that is wrong, please contact the office.',
    },
  },
  'link-code-invalid': {
    title: { de: 'Code stimmt nicht', fr: 'Code incorrect', it: 'Codice non corretto', en: 'Code does not match' },
    detail: {
      de: 'Code oder Geburtsdatum stimmen nicht, oder der Code ist abgelaufen oder schon gebraucht. Prüfen Sie Ihre Eingabe oder verlangen Sie beim Amt einen neuen Code.',
      fr: 'Le code ou la date de naissance ne correspondent pas, ou le code a expiré ou a déjà servi. Vérifiez votre saisie ou demandez un nouveau code à l’office.',
      it: 'Il codice o la data di nascita non corrispondono, oppure il codice è scaduto o già usato. Controlli i dati o chieda un nuovo codice all’ufficio.',
      en: 'The code or the date of birth do not match, or the code has expired or was used. Check what you entered or ask the office for a new code.',
    },
  },
  'share-code-invalid': {
    title: { de: 'Code ungültig', fr: 'Code non valable', it: 'Codice non valido', en: 'Code not valid' },
    detail: {
      de: 'Diesen Code gibt es nicht, er ist abgelaufen oder wurde zurückgezogen. Bitten Sie die Person um einen neuen Code.',
      fr: 'Ce code n’existe pas, a expiré ou a été retiré. Demandez un nouveau code à la personne.',
      it: 'Questo codice non esiste, è scaduto o è stato ritirato. Chieda un nuovo codice alla persona.',
      en: 'This code does not exist, has expired or was withdrawn. Ask the person for a new code.',
    },
  },
} satisfies Record<string, ProblemText>;

export type ProblemCode = keyof typeof problemTexts;

/** Messages for single fields, used in the `errors` list of a problem. */
export const fieldMessages = {
  'ahvn13-check-digit': {
    de: 'ist keine gültige AHV-Nummer (756…, Prüfziffer falsch)',
    fr: 'n’est pas un numéro AVS valable (756…, chiffre de contrôle erroné)',
    it: 'non è un numero AVS valido (756…, cifra di controllo errata)',
    en: 'is not a valid AHV number (756…, wrong check digit)',
  },
  'not-a-date': { de: 'ist kein gültiges Datum', fr: 'n’est pas une date valable', it: 'non è una data valida', en: 'is not a valid date' },
  'end-before-start': { de: 'liegt vor dem Beginn', fr: 'précède le début', it: 'precede l’inizio', en: 'is before the start' },
  'unknown-municipality': { de: 'ist keine Gemeinde dieses Amts', fr: 'n’est pas une commune de cet office', it: 'non è un comune di questo ufficio', en: 'is not a municipality of this office' },
  'ahvn13-taken': { de: 'gehört schon einer anderen Person im Register', fr: 'appartient déjà à une autre personne du registre', it: 'appartiene già a un’altra persona del registro', en: 'already belongs to another person in the register' },
  'no-current-residence': { de: 'hat keinen aktuellen Hauptwohnsitz hier', fr: 'n’a pas de domicile principal actuel ici', it: 'non ha un domicilio principale attuale qui', en: 'has no current main residence here' },
  required: { de: 'fehlt', fr: 'manque', it: 'manca', en: 'is required' },
  'not-an-email': { de: 'ist keine gültige E-Mail-Adresse', fr: 'n’est pas une adresse e-mail valable', it: 'non è un indirizzo e-mail valido', en: 'is not a valid e-mail address' },
  'password-too-short': { de: 'ist zu kurz (mindestens 12 Zeichen)', fr: 'est trop court (au moins 12 caractères)', it: 'è troppo corta (almeno 12 caratteri)', en: 'is too short (at least 12 characters)' },
  'unknown-mandate-scope': { de: 'enthält einen unbekannten Bereich', fr: 'contient un domaine inconnu', it: 'contiene un ambito sconosciuto', en: 'contains an unknown area' },
  'date-in-past': { de: 'liegt in der Vergangenheit', fr: 'est dans le passé', it: 'è nel passato', en: 'is in the past' },
  'no-portal-account': { de: 'hat kein bestätigtes Konto bei diesem Amt', fr: 'n’a pas de compte confirmé auprès de cet office', it: 'non ha un conto confermato presso questo ufficio', en: 'has no confirmed account with this office' },
  'too-many-decimals': { de: 'hat mehr als zwei Nachkommastellen', fr: 'a plus de deux décimales', it: 'ha più di due decimali', en: 'has more than two decimals' },
  'not-an-amount': { de: 'ist kein Betrag (z. B. 250 oder 250.50)', fr: 'n’est pas un montant (p. ex. 250 ou 250.50)', it: 'non è un importo (p. es. 250 o 250.50)', en: 'is not an amount (e.g. 250 or 250.50)' },
  'above-maximum': { de: 'ist höher als erlaubt', fr: 'dépasse le maximum autorisé', it: 'supera il massimo consentito', en: 'is above the allowed maximum' },
  'unknown-field': { de: 'gibt es in diesem Falltyp nicht', fr: 'n’existe pas dans ce type de dossier', it: 'non esiste in questo tipo d’incarto', en: 'does not exist in this case type' },
  'not-an-id': { de: 'ist keine gültige Kennung (UUID)', fr: 'n’est pas un identifiant valable (UUID)', it: 'non è un identificativo valido (UUID)', en: 'is not a valid id (UUID)' },
  'unknown-value': { de: 'enthält einen unbekannten Wert', fr: 'contient une valeur inconnue', it: 'contiene un valore sconosciuto', en: 'contains an unknown value' },
  'not-a-url': { de: 'ist keine gültige http(s)-Adresse', fr: 'n’est pas une adresse http(s) valable', it: 'non è un indirizzo http(s) valido', en: 'is not a valid http(s) address' },
  'unknown-question': { de: 'gibt es in diesem Formular nicht', fr: 'n’existe pas dans ce formulaire', it: 'non esiste in questo modulo', en: 'does not exist in this form' },
  'not-an-option': { de: 'ist keine der angebotenen Antworten', fr: 'n’est pas une des réponses proposées', it: 'non è una delle risposte proposte', en: 'is not one of the offered answers' },
  'too-long': { de: 'ist zu lang', fr: 'est trop long', it: 'è troppo lungo', en: 'is too long' },
  'not-a-number': { de: 'ist keine ganze Zahl', fr: 'n’est pas un nombre entier', it: 'non è un numero intero', en: 'is not a whole number' },
  'not-a-country': { de: 'ist kein Land aus der Liste', fr: 'n’est pas un pays de la liste', it: 'non è un Paese della lista', en: 'is not a country from the list' },
  'upload-missing': { de: 'fehlt noch: bitte laden Sie das Dokument hoch', fr: 'manque encore : veuillez téléverser le document', it: 'manca ancora: carichi il documento', en: 'is still missing: please upload the document' },
} satisfies Record<string, Texts>;
export type FieldMessage = keyof typeof fieldMessages;

/** Names of things used in messages such as "{{what}} was not found". */
export const nouns = {
  person: { de: 'Die Person', fr: 'La personne', it: 'La persona', en: 'The person' },
  user: { de: 'Der Benutzer', fr: "L'utilisateur", it: "L'utente", en: 'The user' },
  permit: { de: 'Die Bewilligung', fr: 'L’autorisation', it: 'Il permesso', en: 'The permit' },
  paper: { de: 'Die Ausweisschrift', fr: 'Le papier d’identité', it: 'Il documento', en: 'The paper' },
  case: { de: 'Der Fall', fr: 'Le dossier', it: 'L’incarto', en: 'The case' },
  'case-type': { de: 'Der Falltyp', fr: 'Le type de dossier', it: 'Il tipo d’incarto', en: 'The case type' },
  document: { de: 'Das Dokument', fr: 'Le document', it: 'Il documento', en: 'The document' },
  task: { de: 'Die Aufgabe', fr: 'La tâche', it: 'Il compito', en: 'The task' },
  notification: { de: 'Die Mitteilung', fr: 'La notification', it: 'La notifica', en: 'The notification' },
  'legal-hold': { de: 'Die rechtliche Sperre', fr: 'Le blocage juridique', it: 'Il blocco giuridico', en: 'The legal hold' },
  'retention-run': { de: 'Der Aufbewahrungslauf', fr: 'L’exécution de conservation', it: 'L’esecuzione di conservazione', en: 'The retention run' },
  message: { de: 'Die Meldung', fr: 'Le message', it: 'Il messaggio', en: 'The message' },
  partner: { de: 'Der Austauschpartner', fr: 'Le partenaire d’échange', it: 'Il partner di scambio', en: 'The exchange partner' },
  invoice: { de: 'Die Rechnung', fr: 'La facture', it: 'La fattura', en: 'The invoice' },
  payment: { de: 'Die Zahlung', fr: 'Le paiement', it: 'Il pagamento', en: 'The payment' },
  deposit: { de: 'Die Kaution', fr: 'Les sûretés', it: 'La cauzione', en: 'The deposit' },
  office: { de: 'Das Amt', fr: 'L’office', it: 'L’ufficio', en: 'The office' },
  'portal-account': { de: 'Das Konto', fr: 'Le compte', it: 'Il conto', en: 'The account' },
  mandate: { de: 'Die Vollmacht', fr: 'La procuration', it: 'La procura', en: 'The mandate' },
  'service-point': { de: 'Die Dienststelle', fr: 'Le guichet', it: 'Lo sportello', en: 'The service point' },
  closure: { de: 'Die Schliessung', fr: 'La fermeture', it: 'La chiusura', en: 'The closure' },
  appointment: { de: 'Der Termin', fr: 'Le rendez-vous', it: 'L’appuntamento', en: 'The appointment' },
  'application-form': { de: 'Das Antragsformular', fr: 'Le formulaire de demande', it: 'Il modulo di domanda', en: 'The application form' },
  application: { de: 'Der Antrag', fr: 'La demande', it: 'La domanda', en: 'The application' },
  upload: { de: 'Die hochgeladene Datei', fr: 'Le fichier téléversé', it: 'Il file caricato', en: 'The uploaded file' },
  'share-code': { de: 'Der Freigabecode', fr: 'Le code de partage', it: 'Il codice di condivisione', en: 'The share code' },
} satisfies Record<string, Texts>;
export type Noun = keyof typeof nouns;

/** Picks the best of the four locales from an Accept-Language header; German when none fits. */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return 'de';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { lang: tag.toLowerCase().split('-')[0] ?? '', quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const entry of ranked) {
    if ((LOCALES as readonly string[]).includes(entry.lang)) return entry.lang as Locale;
  }
  return 'de';
}
