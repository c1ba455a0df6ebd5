import { Alert, Anchor, Button, NativeSelect, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { PORTAL_ACCOUNT_KINDS, PORTAL_PASSWORD_MIN, signUp, type PortalAccountKind, type SignUpRequest } from '../../api/portal';
import { ErrorState } from '../../components/ErrorState';
import { currentLanguage, isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n';
import { fieldErrorsOf, withLabel } from '../../lib/problems';
import { usePageTitle } from '../../lib/usePageTitle';
import { DonePanel, EmailInput, MissingOfficePanel, NewPasswordInput, usePasswordRule, useOffice } from './shared';

type Field = 'email' | 'displayName' | 'password';
type FieldErrors = Partial<Record<Field, string>>;

/** Opening an account at the office's online counter; the address is confirmed by a link in a mail. */
export function SignUpPage() {
  const { t } = useTranslation();
  usePageTitle(t('portal.signUp.title'));
  const office = useOffice();
  const rule = usePasswordRule();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [kind, setKind] = useState<PortalAccountKind>('applicant');
  const [language, setLanguage] = useState<Language>(currentLanguage());
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const emailRef = useRef<HTMLInputElement>(null);
  const displayNameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const mutation = useMutation({
    mutationFn: (request: SignUpRequest) => signUp(office ?? '', request),
    onError: (error) => {
      const fromServer = fieldErrorsOf(error);
      const next: FieldErrors = {};
      for (const field of ['email', 'displayName', 'password'] as const) {
        if (fromServer[field]) next[field] = withLabel(t(`portal.fields.${field}`), fromServer[field]);
      }
      setFieldErrors(next);
      focusFirst(next);
    },
  });

  const focusFirst = (errors: FieldErrors) => {
    const refs = { email: emailRef, displayName: displayNameRef, password: passwordRef };
    for (const field of ['email', 'displayName', 'password'] as const) {
      if (errors[field]) {
        refs[field].current?.focus();
        return;
      }
    }
  };

  if (!office) return <MissingOfficePanel title={t('portal.signUp.title')} />;

  if (mutation.isSuccess) {
    return <DonePanel testId="sign-up-done" title={t('portal.signUp.doneTitle')} lines={[t('portal.signUp.doneBody', { email: mutation.variables.email }), t('portal.signUp.doneHint')]} />;
  }

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const errors: FieldErrors = {};
    const trimmedEmail = email.trim();
    if (!trimmedEmail) errors.email = t('portal.errors.emailRequired');
    else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(trimmedEmail)) errors.email = t('portal.errors.emailInvalid');
    if (!displayName.trim()) errors.displayName = t('portal.errors.nameRequired');
    if (password.length < PORTAL_PASSWORD_MIN) errors.password = t('portal.errors.passwordShort', { min: PORTAL_PASSWORD_MIN });
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      focusFirst(errors);
      return;
    }
    mutation.mutate({ email: trimmedEmail, displayName: displayName.trim(), password, kind, language });
  };

  const error = mutation.error;
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  const refusal = error && isApiError(error) && !error.isUnexpected && !hasFieldErrors ? error.problem.detail || error.problem.title : null;

  return (
    <div className="mf-panel">
      <Stack gap="md">
        <Title order={1}>{t('portal.signUp.title')}</Title>
        <Text>{t('portal.signUp.intro')}</Text>
        <div aria-live="polite">
          {refusal ? (
            <Alert color="accent" variant="light" role="alert" title={t('portal.signUp.failed')} data-testid="sign-up-error">
              {refusal}
            </Alert>
          ) : null}
        </div>
        {error && (!isApiError(error) || error.isUnexpected) ? <ErrorState error={error} /> : null}
        <form noValidate onSubmit={onSubmit} data-testid="sign-up-form">
          <Stack gap="md">
            <EmailInput ref={emailRef} description={t('portal.signUp.emailHint')} value={email} onChange={setEmail} error={fieldErrors.email} />
            <TextInput
              ref={displayNameRef}
              name="displayName"
              label={t('portal.fields.displayName')}
              description={t('portal.signUp.nameHint')}
              autoComplete="name"
              required
              withAsterisk={false}
              value={displayName}
              onChange={(event) => { setDisplayName(event.currentTarget.value); }}
              error={fieldErrors.displayName}
              size="md"
            />
            <NewPasswordInput ref={passwordRef} name="password" label={t('portal.fields.password')} description={rule} value={password} onChange={setPassword} error={fieldErrors.password} />
            <Radio.Group
              name="kind"
              label={t('portal.fields.kind')}
              value={kind}
              onChange={(value) => { setKind(PORTAL_ACCOUNT_KINDS.find((k) => k === value) ?? 'applicant'); }}
            >
              <Stack gap="sm" mt="xs">
                {PORTAL_ACCOUNT_KINDS.map((value) => (
                  <Radio key={value} value={value} label={t(`portal.kinds.${value}.label`)} description={t(`portal.kinds.${value}.description`)} />
                ))}
              </Stack>
            </Radio.Group>
            <NativeSelect
              name="mailLanguage"
              label={t('portal.fields.language')}
              description={t('portal.signUp.languageHint')}
              value={language}
              onChange={(event) => {
                const next = event.currentTarget.value;
                if (isLanguage(next)) setLanguage(next);
              }}
              size="md"
            >
              {LANGUAGES.map((lang) => (
                <option key={lang} value={lang} lang={lang}>
                  {LANGUAGE_NAMES[lang]}
                </option>
              ))}
            </NativeSelect>
            <Button type="submit" size="md" loading={mutation.isPending}>
              {t('portal.signUp.submit')}
            </Button>
          </Stack>
        </form>
        <Text size="sm">
          {t('portal.signUp.haveAccount')}{' '}
          <Anchor component={Link} to="/login">{t('portal.signIn')}</Anchor>
        </Text>
      </Stack>
    </div>
  );
}
