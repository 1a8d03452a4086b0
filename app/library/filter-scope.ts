import { gridKeyOf, type BrowseFilters } from '../catalog/photo-browse.js';
import type { ColorLabel, Flag } from '../catalog/photo-marks.js';

/**
 * The filters a person sets on the grid, a search or a smart album (the API contract's `Filters` has this
 * shape): capture times in ms, tags by name. Declared here, below the API, so that the core and the smart
 * albums can resolve them without importing the contract.
 */
export interface LibraryFilters {
  folderIds?: number[] | undefined;
  takenFrom?: number | undefined;
  takenTo?: number | undefined;
  cameras?: string[] | undefined;
  tags?: string[] | undefined;
  minRating?: number | undefined;
  flag?: Flag | 'none' | undefined;
  label?: ColorLabel | 'none' | undefined;
  albumId?: number | undefined;
}

/** What resolving filters needs of the library: its tags and the photos of hidden tag groups. */
export interface FilterSources {
  hiddenPhotoIds(): number[];
  /** Photos showing the tag or one below it; throws a UserError for a tag nobody has. */
  photoIdsWithTag(tag: string): number[];
}

/**
 * The filters as the catalog's browse queries take them: times as grid keys, tags resolved to the ids of the
 * photos showing them all, and the photos of hidden tag groups left out.
 */
export function browseFiltersOf(filters: LibraryFilters, sources: FilterSources): BrowseFilters {
  const { tags, takenFrom, takenTo, ...rest } = filters;
  const hidden = sources.hiddenPhotoIds();
  const scoped: BrowseFilters = {
    ...rest,
    ...(takenFrom !== undefined ? { takenFrom: gridKeyOf(takenFrom) } : {}),
    ...(takenTo !== undefined ? { takenTo: gridKeyOf(takenTo) } : {}),
    ...(hidden.length > 0 ? { excludeIds: hidden } : {}),
  };
  if (!tags || tags.length === 0) return scoped;
  let ids: Set<number> | undefined;
  for (const tag of tags) {
    const withTag = sources.photoIdsWithTag(tag);
    ids = new Set(ids ? withTag.filter((id) => ids!.has(id)) : withTag);
  }
  return { ...scoped, photoIds: [...ids!] };
}
