import { fileTypeFromBuffer } from 'file-type';

/** The papers people hand in: PDF, JPEG and PNG. */
export const PAPER_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type PaperMediaType = (typeof PAPER_MEDIA_TYPES)[number];

/**
 * The media type the bytes really are (by their content, via file-type), if it is one of the
 * paper types; null otherwise. What the sender declared does not count: a renamed .exe is not a PDF.
 */
export async function paperTypeOf(content: Uint8Array): Promise<PaperMediaType | null> {
  const detected = await fileTypeFromBuffer(content);
  const mime = detected?.mime;
  return (PAPER_MEDIA_TYPES as readonly string[]).includes(mime ?? '') ? (mime as PaperMediaType) : null;
}

/** Browsers send only ASCII in headers, so the web app percent-encodes names such as "Pass Müller.pdf". */
export function decodedFileName(header: string | undefined): string {
  if (!header) return 'upload';
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}
