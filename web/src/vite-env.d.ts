/// <reference types="vite/client" />

declare module 'virtual:vigil-vocabularies' {
  /** Vocabulary name → term id → labels (built from src/domain/vocabularies.ts). */
  const vocabularies: Record<string, Record<string, { en: string; ru: string }>>;
  export default vocabularies;
}
