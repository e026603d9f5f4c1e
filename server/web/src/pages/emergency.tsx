/**
 * `#/emergency`: send an emergency (templates, two-step confirmation) and the recent ones;
 * `#/emergency/<id>`: the live board of one.
 */
import { EmergencyBoard } from '../components/emergency-board.js';
import { EmergencySend } from '../components/emergency-form.js';
import { EmergencyList } from '../components/emergency-list.js';
import { useT } from '../i18n/index.js';
import { matchRoute } from '../router.js';
import '../styles/emergency.css';

export function EmergencyPage({ path }: { path: string }) {
  const t = useT();
  const boardId = matchRoute('/emergency/:id', path)?.id;
  return (
    <div class="emergency-page">
      <header class="emergency-banner">
        <h1>{boardId ? t('emergency.board.title') : t('emergency.title')}</h1>
        {!boardId && <p>{t('emergency.lead')}</p>}
      </header>
      {boardId ? (
        <EmergencyBoard key={boardId} id={boardId} />
      ) : (
        <>
          <EmergencySend />
          <EmergencyList />
        </>
      )}
    </div>
  );
}
