import { useState } from 'react';
import { LESSONS } from '../lessons/lessons.ts';
import { HUB_MODELS, loadEmbeddedCatalog, modelFactsOf } from '../models/catalog.ts';
import { instructorActions, type RoomCall } from '../room/client.ts';
import { encodeReport, reportUrl } from '../run/link.ts';
import { toMarkdown } from '../run/llama-bench.ts';
import { downloadText } from '../ui/download.ts';
import { classRuns } from './class-export.ts';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

const stamp = () => new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');

/**
 * The instructor's actions on the board, shown only when the address carries the instructor token: start a lesson
 * for everyone, clear the results (after a confirmation), close or reopen the room, and the exports (JSON and CSV
 * from the server, llama-bench Markdown and a class result link made here from the room's runs). Every refusal
 * shows the server's own sentence (a wrong token: "Only the instructor can do this…").
 */
export function InstructorControls(props: {
  origin: string;
  token: string;
  lessonId: string | null;
  closed: boolean;
  resultCount: number;
}) {
  const actions = instructorActions(props.origin, props.token);
  const [lessonChoice, setLessonChoice] = useState(props.lessonId ?? LESSONS[0]?.id ?? '');
  const [confirmClear, setConfirmClear] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [link, setLink] = useState<string | null>(null);

  const act = async <T,>(call: () => Promise<RoomCall<T>>, done: string) => {
    setBusy(true);
    setNotice(null);
    const reply = await call();
    setBusy(false);
    setNotice(reply.ok ? { kind: 'ok', text: done } : { kind: 'error', text: reply.message });
  };

  /** The room's runs, from its full export (the token in a header, not in an address a proxy might log). */
  const fetchRuns = async () => {
    const response = await fetch(`${props.origin}/api/instructor/export.json`, {
      headers: { authorization: `Bearer ${props.token}` },
      cache: 'no-store',
    });
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const error =
        typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string'
          ? body.error
          : `The room server answered ${response.status}.`;
      return { ok: false as const, error };
    }
    return classRuns(body);
  };

  const exportRuns = async (what: 'markdown' | 'link') => {
    setBusy(true);
    setNotice(null);
    setLink(null);
    try {
      const out = await fetchRuns();
      if (!out.ok) return setNotice({ kind: 'error', text: out.error });
      if (out.runs.length === 0)
        return setNotice({ kind: 'error', text: 'The room has no results to export yet.' });
      const skipped = out.unreadable > 0 ? ` (${out.unreadable} unreadable runs left out)` : '';
      if (what === 'markdown') {
        const facts = modelFactsOf([...(await loadEmbeddedCatalog().catch(() => [])), ...HUB_MODELS]);
        downloadText(`room-results-${stamp()}.md`, toMarkdown(out.runs, facts), 'text/markdown');
        setNotice({
          kind: 'ok',
          text: `llama-bench Markdown of ${out.runs.length} runs downloaded${skipped}.`,
        });
      } else {
        const url = reportUrl(`${props.origin}/`, encodeReport(out.runs));
        setLink(url);
        const copied = await navigator.clipboard.writeText(url).then(
          () => true,
          () => false,
        );
        setNotice({
          kind: 'ok',
          text: `Class result link to ${out.runs.length} runs${skipped}${copied ? ', copied to the clipboard' : ''}.`,
        });
      }
    } catch {
      setNotice({ kind: 'error', text: 'Could not reach the room server.' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="board-panel board-instructor" aria-labelledby="board-instructor-title">
      <h2 id="board-instructor-title">Instructor</h2>
      <div className="board-controls">
        <label className="board-control">
          <span>Lesson</span>
          <select value={lessonChoice} onChange={(e) => setLessonChoice(e.target.value)} disabled={busy}>
            {LESSONS.map((lesson) => (
              <option key={lesson.id} value={lesson.id}>
                {lesson.title}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          disabled={busy || !lessonChoice}
          onClick={() => act(() => actions.startLesson(lessonChoice), 'Lesson started for everyone.')}
        >
          Start lesson for everyone
        </button>
        {props.lessonId && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => act(() => actions.startLesson(null), 'Lesson ended.')}
          >
            End lesson
          </button>
        )}
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() =>
            act(
              () => actions.setClosed(!props.closed),
              props.closed ? 'The room is open again.' : 'The room is closed: no more joins or results.',
            )
          }
        >
          {props.closed ? 'Reopen the room' : 'Close the room'}
        </button>
        {confirmClear ? (
          <fieldset className="board-confirm">
            <legend>Remove all {props.resultCount} results? Participants stay.</legend>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={async () => {
                setConfirmClear(false);
                await act(() => actions.clear(), 'Results cleared.');
              }}
            >
              Yes, clear results
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmClear(false)}>
              Cancel
            </button>
          </fieldset>
        ) : (
          <button type="button" className="secondary" disabled={busy} onClick={() => setConfirmClear(true)}>
            Clear results…
          </button>
        )}
      </div>
      <div className="board-controls">
        <span>Export:</span>
        <a className="board-button" href={actions.exportUrl('json')} download>
          JSON
        </a>
        <a className="board-button" href={actions.exportUrl('csv')} download>
          CSV
        </a>
        <button type="button" className="secondary" disabled={busy} onClick={() => exportRuns('markdown')}>
          llama-bench Markdown
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => exportRuns('link')}>
          Class result link
        </button>
      </div>
      {notice && (
        <p
          className={notice.kind === 'error' ? 'message error' : 'message info'}
          role={notice.kind === 'error' ? 'alert' : 'status'}
        >
          {notice.text}
        </p>
      )}
      {link && (
        <label className="board-control board-link">
          <span>Class result link (opens in Compare &amp; share)</span>
          <input type="text" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
        </label>
      )}
    </section>
  );
}
