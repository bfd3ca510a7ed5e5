/** Where the typed documents are written. */
export declare const generatedFile: string;
/** The text operations.generated.ts should have, formatted as the repository formats TypeScript. */
export declare function generateOperations(): Promise<string>;
/** graphql-codegen's string-mode output with each document on one line and each fragment's text written once. */
export declare function compactDocuments(content: string): string;
