/** One page of a list the console pages through, and how many items the whole list has. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
