import { createHash } from 'node:crypto';
import type { Db, Trx } from '../../platform/db/transaction.js';

export interface NewDocument {
  tenantId: string;
  caseId: string | null;
  personId: string | null;
  kind: 'letter' | 'attachment';
  template: string | null;
  title: string;
  fileName: string;
  mediaType: string;
  language: string | null;
  content: Buffer;
  createdBy: string;
}

export interface DocumentInfo {
  id: string;
  caseId: string | null;
  personId: string | null;
  kind: 'letter' | 'attachment';
  template: string | null;
  title: string;
  fileName: string;
  mediaType: string;
  language: string | null;
  sizeBytes: number;
  sha256: string;
  createdBy: string;
  createdAt: string;
}

const INFO = ['id', 'case_id', 'person_id', 'kind', 'template', 'title', 'file_name', 'media_type', 'language', 'size_bytes', 'sha256', 'created_by', 'created_at'] as const;

function toInfo(row: { id: string; case_id: string | null; person_id: string | null; kind: 'letter' | 'attachment'; template: string | null; title: string; file_name: string; media_type: string; language: string | null; size_bytes: number; sha256: string; created_by: string; created_at: Date }): DocumentInfo {
  return { id: row.id, caseId: row.case_id, personId: row.person_id, kind: row.kind, template: row.template, title: row.title, fileName: row.file_name, mediaType: row.media_type, language: row.language, sizeBytes: row.size_bytes, sha256: row.sha256, createdBy: row.created_by, createdAt: row.created_at.toISOString() };
}

/** Stores a file in the electronic file with its SHA-256, so any later change to it can be seen. */
export async function storeDocument(trx: Trx, document: NewDocument): Promise<DocumentInfo> {
  const row = await trx
    .insertInto('documents')
    .values({
      tenant_id: document.tenantId,
      case_id: document.caseId,
      person_id: document.personId,
      kind: document.kind,
      template: document.template,
      title: document.title,
      file_name: document.fileName,
      media_type: document.mediaType,
      language: document.language,
      size_bytes: document.content.length,
      sha256: createHash('sha256').update(document.content).digest('hex'),
      content: document.content,
      created_by: document.createdBy,
    })
    .returning(INFO)
    .executeTakeFirstOrThrow();
  return toInfo(row);
}

export async function documentsOfCase(db: Db | Trx, caseId: string): Promise<DocumentInfo[]> {
  const rows = await db.selectFrom('documents').select(INFO).where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toInfo);
}

export async function documentWithContent(db: Db | Trx, tenantId: string, id: string): Promise<(DocumentInfo & { content: Buffer }) | null> {
  const row = await db.selectFrom('documents').select([...INFO, 'content']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row ? { ...toInfo(row), content: row.content } : null;
}
