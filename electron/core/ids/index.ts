export * from './alphabet';
export * from './checkSymbol';
export * from './generator';
