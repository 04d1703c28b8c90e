/** Vite's `?raw` imports: the file's text (used to run Brython as a classic script). */
declare module '*?raw' {
  const text: string;
  export default text;
}
