import { matchesFilter, type CaseExactLookup } from "./evaluate-filter.js";
import type { Filter } from "./filter.js";
import type { JsonObject } from "./json-resource.js";

/** A page of a ListResponse (RFC 7644 3.4.2): `startIndex` is 1-based. */
export interface ScimPage {
  readonly totalResults: number;
  readonly startIndex: number;
  readonly resources: JsonObject[];
}

export interface FilteredPage {
  /** Offers resources in list order: each match is counted, and kept (as `shown` makes it) if on the page. */
  take(resources: Iterable<JsonObject>, shown?: (resource: JsonObject) => JsonObject): void;
  page(): ScimPage;
}

/**
 * The page `startIndex`/`count` of the resources that match `filter`, gathered from batches offered in list
 * order, so a scan holds no more than one batch and the page.
 */
export function filteredPage(
  filter: Filter,
  caseExact: CaseExactLookup,
  startIndex: number,
  count: number,
): FilteredPage {
  const resources: JsonObject[] = [];
  let total = 0;
  return {
    take(offered, shown = (resource) => resource) {
      for (const resource of offered) {
        if (!matchesFilter(filter, resource, caseExact)) continue;
        total++;
        if (total >= startIndex && resources.length < count) resources.push(shown(resource));
      }
    },
    page: () => ({ totalResults: total, startIndex, resources }),
  };
}
