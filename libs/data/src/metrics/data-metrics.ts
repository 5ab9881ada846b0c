import { AvailabilityFeedMetrics } from './availability-feed.metrics';
import { OutboxMetrics } from './outbox.metrics';
import { QueueDepthMetrics } from './queue-depth.metrics';
import { ReplicaMetrics } from './replica.metrics';

/** The gauges read on scrape (queues, outbox, replicas, the availability feed): one app registers them (the sync-api), so that series are not doubled. */
export const DATA_METRICS = [QueueDepthMetrics, OutboxMetrics, ReplicaMetrics, AvailabilityFeedMetrics];
