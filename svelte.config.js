// Read by svelte-check, the Vite plugin and eslint-plugin-svelte.
export default {
  compilerOptions: { runes: true },
};
