// class-transformer ships the metadata storage of its decorators without a declaration at this path.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
