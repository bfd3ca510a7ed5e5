/** Where the typed documents are written. */
export declare const generatedFile: string;
/** The text operations.generated.ts should have, formatted as the repository formats TypeScript. */
export declare function generateOperations(): Promise<string>;
