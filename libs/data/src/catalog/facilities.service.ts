import { CacheInvalidator } from '@app/cache';
import { invalidatedTags } from '../common/cache-tags';
import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@app/platform';
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
}

export type UpdateFacilityInput = Partial<Omit<CreateFacilityInput, 'code'>>;

@Injectable()
export class FacilitiesService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly reads: ReadRouter,
    private readonly facilities: FacilitiesRepository,
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

  private found(id: string, facility: Facility | undefined): Facility {
    if (!facility) throw new NotFoundError(`facility ${id} not found`);
    return facility;
  }
}
