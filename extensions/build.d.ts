// Set by build.mjs (esbuild `define`): the app's public URL the extensions call.
declare const __APP_URL__: string;
