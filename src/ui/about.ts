// The About window. It says plainly that quitting is not a way around the policy.
import { bridge, byId, errorText, wireClose } from './common.js';

bridge()
  .app.about()
  .then(
    (a) => {
      byId('version').textContent = a.version;
      byId('quit-note').textContent = a.quitNote;
      byId('enforced').textContent = a.enforced ? 'Sign-in is enforced on this machine.' : 'No sign-in policy is deployed on this machine.';
    },
    (err: unknown) => (byId('quit-note').textContent = errorText(err)),
  );
wireClose();
