import type { PhotoSummary } from '../../../../app/api/contract.js';

export type Flag = 'pick' | 'reject';
export type ColorLabel = 'red' | 'yellow' | 'green' | 'blue' | 'purple';
export const COLOR_LABELS: readonly ColorLabel[] = ['red', 'yellow', 'green', 'blue', 'purple'];

/** One culling decision, for one photo or many. */
export type MarkAction = { kind: 'rate'; rating: number } | { kind: 'flag'; flag: Flag | 'none' } | { kind: 'label'; label: ColorLabel | 'none' };

/** The marks a photo carries, as PhotoSummary (and PhotoDetail) hold them. */
export type Marks = Pick<PhotoSummary, 'rating' | 'flag' | 'label'>;

/**
 * [Note: culling keys] The keys photographers know from Lightroom (and digiKam, Photo Mechanic): 0–5 set the
 * stars, P picks, X rejects, U unflags, 6–9 set the red, yellow, green and blue labels (purple has no key in
 * Lightroom either: it is in the label menu). Ctrl/Cmd/Alt combinations are left to the browser and the app.
 */
export function markActionForKey(event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): MarkAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key.length === 1 && key >= '0' && key <= '5') return { kind: 'rate', rating: Number(key) };
  if (key === 'p') return { kind: 'flag', flag: 'pick' };
  if (key === 'x') return { kind: 'flag', flag: 'reject' };
  if (key === 'u') return { kind: 'flag', flag: 'none' };
  const label = ({ '6': 'red', '7': 'yellow', '8': 'green', '9': 'blue' } as const)[key as '6'];
  return label ? { kind: 'label', label } : null;
}

/**
 * A label key on photos that all carry that label already takes it off (Lightroom toggles labels the same
 * way); stars and flags are set as pressed.
 */
export function resolveToggle(action: MarkAction, photos: readonly Marks[]): MarkAction {
  if (action.kind === 'label' && action.label !== 'none' && photos.length > 0 && photos.every((p) => p.label === action.label)) return { kind: 'label', label: 'none' };
  return action;
}

/** What the action changes in a photo's marks (rating 0 shows as no stars, as the catalog keeps it). */
export function marksAfter(action: MarkAction): Partial<Marks> {
  if (action.kind === 'rate') return { rating: action.rating };
  if (action.kind === 'flag') return { flag: action.flag === 'none' ? null : action.flag };
  return { label: action.label === 'none' ? null : action.label };
}

export function describeAction(action: MarkAction): string {
  if (action.kind === 'rate') return action.rating === 0 ? 'No stars' : `${action.rating} ${action.rating === 1 ? 'star' : 'stars'}`;
  if (action.kind === 'flag') return action.flag === 'pick' ? 'Picked' : action.flag === 'reject' ? 'Rejected' : 'Unflagged';
  return action.label === 'none' ? 'No label' : `${action.label[0]!.toUpperCase()}${action.label.slice(1)} label`;
}
