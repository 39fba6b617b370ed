// Vite bundles these; TypeScript only needs to know the imports exist.
declare module '*.css';
