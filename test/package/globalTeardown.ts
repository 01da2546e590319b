import * as fs from 'node:fs';
import { PACKAGE_ENV } from './installedApp';

/** jest globalTeardown of the "package" project: removes the tarball and the install folders globalSetup made. */
export default function globalTeardown(): void {
  const work = process.env[PACKAGE_ENV.WORK];
  if (work !== undefined && process.env.DSTREAMS_KEEP_PACKAGE === undefined) fs.rmSync(work, { recursive: true, force: true });
}
