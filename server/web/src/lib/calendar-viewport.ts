/**
 * Whether the screen is too narrow for seven day columns: below this width the calendar is a
 * day-by-day list. Follows the window as it is resized or a phone is turned.
 */
import { useEffect, useState } from 'preact/hooks';

/** Seven readable columns need about 140 px each next to the menu. */
export const AGENDA_QUERY = '(max-width: 959px)';

export function useAgendaLayout(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(AGENDA_QUERY).matches);
  useEffect(() => {
    const query = window.matchMedia(AGENDA_QUERY);
    const update = () => setNarrow(query.matches);
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return narrow;
}
