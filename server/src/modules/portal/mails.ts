import type { Locale } from '../../platform/i18n/messages.js';

/**
 * The portal's mails in the four languages, plain text: short sentences, what to do, how long the
 * link is good, and what to do if it was not you. Pure functions (tested through the integration tests).
 */

export interface MailText {
  subject: string;
  text: string;
}

interface Context {
  office: string;
  name: string;
  link: string;
}

const verify: Record<Locale, (c: Context) => MailText> = {
  de: (c) => ({
    subject: `${c.office}: Bitte bestätigen Sie Ihre E-Mail-Adresse`,
    text: `Guten Tag ${c.name}\n\nSie haben ein Konto im Online-Schalter von ${c.office} eröffnet. Bitte bestätigen Sie Ihre E-Mail-Adresse mit diesem Link (gültig 24 Stunden):\n\n${c.link}\n\nDanach können Sie sich anmelden.\n\nWaren Sie das nicht? Dann müssen Sie nichts tun; ohne Bestätigung bleibt das Konto gesperrt.\n\n${c.office}`,
  }),
  fr: (c) => ({
    subject: `${c.office} : veuillez confirmer votre adresse e-mail`,
    text: `Bonjour ${c.name}\n\nVous avez ouvert un compte au guichet en ligne de ${c.office}. Veuillez confirmer votre adresse e-mail avec ce lien (valable 24 heures) :\n\n${c.link}\n\nEnsuite, vous pourrez vous connecter.\n\nCe n’était pas vous ? Vous n’avez rien à faire ; sans confirmation, le compte reste bloqué.\n\n${c.office}`,
  }),
  it: (c) => ({
    subject: `${c.office}: confermi il suo indirizzo e-mail`,
    text: `Buongiorno ${c.name}\n\nHa aperto un conto allo sportello online di ${c.office}. Confermi il suo indirizzo e-mail con questo link (valido 24 ore):\n\n${c.link}\n\nPoi potrà accedere.\n\nNon è stato lei? Non deve fare nulla; senza conferma il conto resta bloccato.\n\n${c.office}`,
  }),
  en: (c) => ({
    subject: `${c.office}: please confirm your e-mail address`,
    text: `Hello ${c.name}\n\nYou opened an account at the online counter of ${c.office}. Please confirm your e-mail address with this link (good for 24 hours):\n\n${c.link}\n\nThen you can sign in.\n\nWas this not you? Then there is nothing to do; without confirmation the account stays locked.\n\n${c.office}`,
  }),
};

type AttemptContext = Omit<Context, 'link'> & { resetLink: string; verifyLink: string | null };

const attempt: Record<Locale, (c: AttemptContext) => MailText> = {
  de: (c) => ({
    subject: `${c.office}: Jemand wollte ein Konto mit Ihrer E-Mail-Adresse eröffnen`,
    text: `Guten Tag\n\nSoeben wollte jemand im Online-Schalter von ${c.office} ein neues Konto mit dieser E-Mail-Adresse eröffnen. Es gibt schon ein Konto dazu; es wurde nichts geändert.\n\n${c.verifyLink ? `Ihr Konto ist noch nicht bestätigt. Bestätigen Sie es mit diesem Link (gültig 24 Stunden):\n\n${c.verifyLink}\n\n` : ''}Haben Sie Ihr Passwort vergessen? Setzen Sie es hier zurück: ${c.resetLink}\n\nWaren Sie das nicht? Dann müssen Sie nichts tun.\n\n${c.office}`,
  }),
  fr: (c) => ({
    subject: `${c.office} : quelqu’un a voulu ouvrir un compte avec votre adresse e-mail`,
    text: `Bonjour\n\nQuelqu’un vient de vouloir ouvrir un nouveau compte au guichet en ligne de ${c.office} avec cette adresse e-mail. Un compte existe déjà ; rien n’a été modifié.\n\n${c.verifyLink ? `Votre compte n’est pas encore confirmé. Confirmez-le avec ce lien (valable 24 heures) :\n\n${c.verifyLink}\n\n` : ''}Vous avez oublié votre mot de passe ? Réinitialisez-le ici : ${c.resetLink}\n\nCe n’était pas vous ? Vous n’avez rien à faire.\n\n${c.office}`,
  }),
  it: (c) => ({
    subject: `${c.office}: qualcuno ha voluto aprire un conto con il suo indirizzo e-mail`,
    text: `Buongiorno\n\nQualcuno ha appena voluto aprire un nuovo conto allo sportello online di ${c.office} con questo indirizzo e-mail. Esiste già un conto; non è stato modificato nulla.\n\n${c.verifyLink ? `Il suo conto non è ancora confermato. Lo confermi con questo link (valido 24 ore):\n\n${c.verifyLink}\n\n` : ''}Ha dimenticato la password? La reimposti qui: ${c.resetLink}\n\nNon è stato lei? Non deve fare nulla.\n\n${c.office}`,
  }),
  en: (c) => ({
    subject: `${c.office}: someone tried to open an account with your e-mail address`,
    text: `Hello\n\nSomeone just tried to open a new account at the online counter of ${c.office} with this e-mail address. There already is an account for it; nothing was changed.\n\n${c.verifyLink ? `Your account is not confirmed yet. Confirm it with this link (good for 24 hours):\n\n${c.verifyLink}\n\n` : ''}Forgot your password? Reset it here: ${c.resetLink}\n\nWas this not you? Then there is nothing to do.\n\n${c.office}`,
  }),
};

const reset: Record<Locale, (c: Context) => MailText> = {
  de: (c) => ({
    subject: `${c.office}: Passwort zurücksetzen`,
    text: `Guten Tag ${c.name}\n\nSie möchten das Passwort Ihres Kontos im Online-Schalter von ${c.office} zurücksetzen. Wählen Sie mit diesem Link ein neues (gültig 1 Stunde, nur einmal):\n\n${c.link}\n\nDanach sind Sie überall abgemeldet und melden sich mit dem neuen Passwort an.\n\nWaren Sie das nicht? Dann müssen Sie nichts tun; Ihr Passwort bleibt, wie es ist.\n\n${c.office}`,
  }),
  fr: (c) => ({
    subject: `${c.office} : réinitialiser le mot de passe`,
    text: `Bonjour ${c.name}\n\nVous souhaitez réinitialiser le mot de passe de votre compte au guichet en ligne de ${c.office}. Choisissez-en un nouveau avec ce lien (valable 1 heure, une seule fois) :\n\n${c.link}\n\nEnsuite, vous serez déconnecté partout et vous vous connecterez avec le nouveau mot de passe.\n\nCe n’était pas vous ? Vous n’avez rien à faire ; votre mot de passe reste inchangé.\n\n${c.office}`,
  }),
  it: (c) => ({
    subject: `${c.office}: reimpostare la password`,
    text: `Buongiorno ${c.name}\n\nDesidera reimpostare la password del suo conto allo sportello online di ${c.office}. Ne scelga una nuova con questo link (valido 1 ora, una sola volta):\n\n${c.link}\n\nPoi sarà disconnesso ovunque e accederà con la nuova password.\n\nNon è stato lei? Non deve fare nulla; la sua password resta invariata.\n\n${c.office}`,
  }),
  en: (c) => ({
    subject: `${c.office}: reset your password`,
    text: `Hello ${c.name}\n\nYou asked to reset the password of your account at the online counter of ${c.office}. Choose a new one with this link (good for 1 hour, once):\n\n${c.link}\n\nAfterwards you are signed out everywhere and sign in with the new password.\n\nWas this not you? Then there is nothing to do; your password stays as it is.\n\n${c.office}`,
  }),
};

export function verificationMail(locale: Locale, context: Context): MailText {
  return verify[locale](context);
}

export function signUpAttemptMail(locale: Locale, context: AttemptContext): MailText {
  return attempt[locale](context);
}

export function passwordResetMail(locale: Locale, context: Context): MailText {
  return reset[locale](context);
}
