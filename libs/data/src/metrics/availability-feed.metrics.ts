import { Injectable } from '@nestjs/common';
import { MetricsRegistry, scrapedGauge } from '@app/platform';
import { AvailabilityService } from '../availability/availability.service';

/** How far the readers of each channel's availability feed are behind, read when scraped. */
@Injectable()
export class AvailabilityFeedMetrics {
  constructor(registry: MetricsRegistry, availability: AvailabilityService) {
    scrapedGauge({
      registry,
      name: 'availability_feed_lag_seconds',
      help:
        "Age of the oldest change of a channel's availability feed that no reader has been served yet by this instance (0 when all are read); " +
        'only channels whose feed was read here. With several instances, the least of them is how far the channel is behind',
      labelNames: ['channel'],
      read: async (gauge) => {
        for (const [channel, seconds] of await availability.feedLagSeconds()) gauge.labels(channel).set(seconds);
      },
    });
  }
}
