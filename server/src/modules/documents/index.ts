/** Public interface of the documents module: the electronic file (letters, attachments) and letter rendering. */
export { storeDocument, documentsOfCase, documentWithContent, type DocumentInfo, type NewDocument } from './repository.js';
export { renderLetter, formatLetterDate, type LetterContent, type Letterhead } from './letters/render.js';
export { registerDocumentRoutes } from './routes.js';
