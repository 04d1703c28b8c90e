/** The Python module's source, as text: tsup loads `.py` files with esbuild's text loader. */
declare module '*.py' {
  const source: string;
  export default source;
}
