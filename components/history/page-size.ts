/** Entries per page of the history lists (server-rendered first page and each "Load more"). */
export const HISTORY_PAGE_SIZE = 25;
