import { CacheInvalidator } from '@app/cache';
import { invalidatedTags } from '../common/cache-tags';
import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@app/platform';
import { AccessScope, reachesFacility, UNRESTRICTED } from '../api-keys/api-key-access';
import { FacilityCapacity, FacilityCapacityRepository } from '../brokering/facility-capacity.repository';
import { conflictOnDuplicate } from '../common/postgres-errors';
import { PrimaryDatabase } from '../database/primary-database';
import type { Facility, FacilityType } from '../entities/facility.entity';
import type { Page, PageRequest } from '../read-routing/keyset-page';
import { ReadRouter } from '../read-routing/read-router';
import { FacilitiesRepository } from './facilities.repository';

export interface CreateFacilityInput {
  code: string;
  name: string;
  type: FacilityType;
  latitude: number;
  longitude: number;
  canShip?: boolean;
  canPickup?: boolean;
  /** False: never a brokering candidate; true by default. */
  allowBrokering?: boolean;
  /** The most orders brokering allocates here per day: null (the default) unlimited, 0 none. */
  maximumOrdersPerDay?: number | null;
}

/** Undefined leaves a field as it is; a null maximumOrdersPerDay makes the facility unlimited. */
export type UpdateFacilityInput = Partial<Omit<CreateFacilityInput, 'code'>>;

@Injectable()
export class FacilitiesService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly reads: ReadRouter,
    private readonly facilities: FacilitiesRepository,
    private readonly capacities: FacilityCapacityRepository,
    private readonly cache: CacheInvalidator,
  ) {}

  /** A warehouse ships by default; a store also offers pickup by default. */
  async create(input: CreateFacilityInput): Promise<Facility> {
    return conflictOnDuplicate(
      this.facilities.insert(this.db, {
        ...input,
        canShip: input.canShip ?? true,
        canPickup: input.canPickup ?? input.type === 'STORE',
        allowBrokering: input.allowBrokering ?? true,
        maximumOrdersPerDay: input.maximumOrdersPerDay ?? null,
      }),
      `a facility with code ${input.code} already exists`,
    );
  }

  async get(id: string): Promise<Facility> {
    return this.found(id, await this.facilities.findById(this.db, id));
  }

  async list(page: PageRequest, clientId?: string): Promise<Page<Facility>> {
    return this.facilities.page(await this.reads.forListRead(clientId), page);
  }

  async update(id: string, input: UpdateFacilityInput): Promise<Facility> {
    const facility = this.found(id, await this.facilities.update(this.db, id, input));
    await this.cache.invalidate(invalidatedTags([{ topic: 'facility.changed', facilityId: id }]));
    return facility;
  }

  /**
   * The facility's capacity on a day (YYYY-MM-DD; default today in BROKERING_TZ). A facility outside
   * `scope` is not found, as if it did not exist.
   */
  async capacity(id: string, date: string | undefined, scope: AccessScope = UNRESTRICTED): Promise<FacilityCapacity> {
    if (!reachesFacility(scope, id)) throw new NotFoundError(`facility ${id} not found`);
    return this.found(id, await this.capacities.capacityOn(this.db, id, date));
  }

  private found<T>(id: string, found: T | undefined): T {
    if (!found) throw new NotFoundError(`facility ${id} not found`);
    return found;
  }
}
