import { Button, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ATTACHMENT_TYPES, documentUrl, uploadAttachment, type CaseDetail, type CaseDocument } from '../../api/cases';
import { LANGUAGE_NAMES, isLanguage } from '../../i18n';
import { TimestampText } from '../register/common';
import { FileSection } from '../register/PersonSections';
import { caseKey, invalidateCaseLists } from './caseQueries';
import { CaseProblem, formatSize, ShortHash } from './common';

/** Larger files are refused before sending (the server has its own limit). */
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Newest first. */
function byCreatedDesc(a: CaseDocument, b: CaseDocument): number {
  return b.createdAt.localeCompare(a.createdAt);
}

export function DocumentsSection({ detail, canWrite, onDone }: { detail: CaseDetail; canWrite: boolean; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const documents = [...detail.documents].sort(byCreatedDesc);
  return (
    <FileSection id="documents" title={t('cases.sections.documents')} testId="case-documents-section">
      {documents.length === 0 ? <Text mb="sm">{t('cases.documents.none')}</Text> : null}
      <ul className="mf-paper-list mf-document-list" data-testid="case-documents" aria-label={t('cases.sections.documents')}>
        {documents.map((document) => <DocumentRow key={document.id} document={document} />)}
      </ul>
      {canWrite ? <UploadForm caseId={detail.id} personId={detail.person.id} onDone={onDone} /> : null}
    </FileSection>
  );
}

function DocumentRow({ document }: { document: CaseDocument }) {
  const { t } = useTranslation();
  return (
    <li className="mf-paper mf-document" data-testid="case-document" data-kind={document.kind} data-document-id={document.id}>
      <div>
        <div className="mf-paper-title">
          <a href={documentUrl(document.id)} target="_blank" rel="noopener" data-testid="case-document-link">
            {document.title}
            <span className="sr-only"> ({t('cases.documents.newWindow')})</span>
          </a>
          <span className={document.kind === 'letter' ? 'mf-tag mf-tag--current' : 'mf-tag'}>{t(`cases.documents.kinds.${document.kind}`)}</span>
        </div>
        <dl className="mf-inline-facts">
          <div><dt>{t('cases.documents.file')}</dt><dd className="mf-break">{document.fileName} · {formatSize(document.sizeBytes)}</dd></div>
          {document.language && isLanguage(document.language) ? (
            <div><dt>{t('cases.documents.language')}</dt><dd>{LANGUAGE_NAMES[document.language]}</dd></div>
          ) : null}
          <div><dt>{t('cases.documents.created')}</dt><dd><TimestampText value={document.createdAt} /> · {document.createdBy}</dd></div>
          <div><dt>{t('cases.documents.sha256')}</dt><dd><ShortHash value={document.sha256} /></dd></div>
        </dl>
      </div>
    </li>
  );
}

function UploadForm({ caseId, personId, onDone }: { caseId: string; personId: string; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (chosen: File) => uploadAttachment(caseId, chosen),
    onSuccess: async (document) => {
      setFile(null);
      if (inputRef.current) inputRef.current.value = '';
      await queryClient.invalidateQueries({ queryKey: caseKey(caseId) });
      invalidateCaseLists(queryClient, personId);
      onDone(t('cases.documents.uploaded', { title: document.title || document.fileName }));
    },
  });
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    if (!file) setError(t('cases.documents.chooseFile'));
    else if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.type)) setError(t('cases.documents.wrongType'));
    else if (file.size > MAX_UPLOAD_BYTES) setError(t('cases.documents.tooLarge', { size: formatSize(MAX_UPLOAD_BYTES) }));
    else {
      setError(null);
      mutation.mutate(file);
      return;
    }
    inputRef.current?.focus();
  };
  return (
    <form noValidate onSubmit={onSubmit} className="mf-subpanel" aria-labelledby={`${inputId}-heading`} data-testid="attachment-form">
      <h3 id={`${inputId}-heading`} className="mf-subheading">{t('cases.documents.upload')}</h3>
      <div className="mf-form-problem">
        <CaseProblem error={mutation.error} caseId={caseId} onReloaded={() => { mutation.reset(); }} />
      </div>
      <div className="mf-inline-form">
        <div className="mf-file-field">
          <label htmlFor={inputId} className="mf-file-label">{t('cases.documents.file')}</label>
          <input ref={inputRef} id={inputId} type="file" name="attachment" accept={ATTACHMENT_TYPES.join(',')}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId} aria-invalid={error ? true : undefined}
            onChange={(event) => { setFile(event.currentTarget.files?.[0] ?? null); setError(null); }} />
          <p id={hintId} className="mf-small mf-muted">{t('cases.documents.uploadHint')}</p>
          {error ? <p id={errorId} className="mf-field-error" role="alert">{error}</p> : null}
        </div>
        <Button type="submit" variant="default" loading={mutation.isPending} data-testid="attachment-upload">{t('cases.documents.uploadSubmit')}</Button>
      </div>
    </form>
  );
}
