/// <reference types="vite/client" />

declare module 'virtual:vigil-vocabularies' {
  /** Vocabulary name → its terms in the domain's order (built from src/domain/vocabularies.ts). */
  const vocabularies: Readonly<Record<string, readonly import('./i18n/vocab.ts').Term[]>>;
  export default vocabularies;
}
