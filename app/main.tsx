// First: configures zod for the CSP before any module parses with it.
import './ui/zod-jitless.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { adoptRoomHubHost } from './room/room-host.ts';
import { startRoom } from './room/store.ts';
import { registerServiceWorker } from './ui/service-worker.ts';
import './ui/theme.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
// Served by a workshop room (`npm run room`)? Its /room.json says so: the room becomes the Hub host, and the
// join bar shows. Anywhere else the answer is not a room's and nothing changes.
void adoptRoomHubHost(location.origin, undefined, import.meta.env.BASE_URL).then((room) => {
  if (room) startRoom(room, location.origin, location.search);
});
// Offline after one visit, and updates on the user's word: production builds only (dev serves from source).
if (import.meta.env.PROD) registerServiceWorker();
