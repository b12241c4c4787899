/**
 * @openvpp/app: OpenVPP World, the owner and utility web app. The browser build is static files
 * (index.html + assets) in `appDir`; `openvpp serve` serves them at `/` beside the API.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The directory of the browser build (`index.html`, `assets/`): app/dist/www, reached from this
 * module whether it runs built (app/dist) or from source (app/src, through tsconfig paths).
 */
export const appDir: string = join(__dirname, '..', 'dist', 'www');

/** Whether the browser build exists (`npm run build:app` writes it). */
export function appBuilt(dir: string = appDir): boolean {
  return existsSync(join(dir, 'index.html'));
}

export {
  type DemoKeypair,
  type DemoWalletOptions,
  demoWalletOptions,
  demoWalletScript,
  injectDemoWallet,
} from './demo-wallet';
