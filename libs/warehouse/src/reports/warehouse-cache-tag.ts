/** The cache tag of every report: each successful ETL run invalidates it. */
export const WAREHOUSE_CACHE_TAG = 'warehouse';
