import type { RiskAction, RiskRuleType } from '../engines/risk/risk-rule.js';
import type { RetailerStatus } from '../parties/retailer.js';
import type { Actor } from '../shared/domain-event.js';
import type { ProductId, VendorId } from '../shared/ids.js';
import type { Unit } from '../shared/quantity.js';
import type { EventSpecs } from './payload-shape.js';

export interface RetailerRegistered {
  readonly area: string;
  readonly status: RetailerStatus;
  /** The opening credit limit, minor units of the account's currency. */
  readonly creditLimit: number;
  readonly actorType: Actor['type'];
}

/** A person changed whether a retailer may order: approved (KYC, or reinstated) or suspended. */
export interface RetailerStatusChanged {
  readonly from: RetailerStatus;
  readonly to: RetailerStatus;
  readonly reason: string;
  readonly actor: Actor;
}

export interface VendorRegistered {
  readonly serviceAreas: readonly string[];
  readonly dailyCapacity: number;
}

export interface ProductChanged {
  readonly sku: string;
}

export interface OfferChanged {
  readonly vendorId: VendorId;
  readonly productId: ProductId;
  readonly unit: Unit;
  /** Minor units, in the offer's currency. */
  readonly price: number;
  readonly previousPrice: number | null;
  readonly stockOnHand: number;
}

export interface RiskRuleSaved {
  readonly ruleId: string;
  readonly ruleType: RiskRuleType;
  readonly action: RiskAction;
  readonly enabled: boolean;
  readonly created: boolean;
  readonly actor: Actor;
}

/** Parties, the catalog and risk rules: raised by their use cases. */
export interface RegistryEventDefinitions {
  'retailer.registered': { aggregate: 'retailer'; payload: RetailerRegistered };
  'retailer.approved': { aggregate: 'retailer'; payload: RetailerStatusChanged };
  'retailer.suspended': { aggregate: 'retailer'; payload: RetailerStatusChanged };
  'vendor.registered': { aggregate: 'vendor'; payload: VendorRegistered };
  'product.created': { aggregate: 'product'; payload: ProductChanged };
  'product.updated': { aggregate: 'product'; payload: ProductChanged };
  'offer.price_changed': { aggregate: 'vendor_offer'; payload: OfferChanged };
  'offer.updated': { aggregate: 'vendor_offer'; payload: OfferChanged };
  'risk.rule_saved': { aggregate: 'risk_rule'; payload: RiskRuleSaved };
}

const retailerStatus = {
  from: ['string'],
  to: ['string'],
  reason: ['string'],
  actor: ['object'],
} as const;

const offer = {
  vendorId: ['string'],
  productId: ['string'],
  unit: ['string'],
  price: ['number'],
  previousPrice: ['number', 'null'],
  stockOnHand: ['number'],
} as const;

export const registryEventSpecs: EventSpecs<RegistryEventDefinitions> = {
  'retailer.registered': {
    aggregate: 'retailer',
    shape: { area: ['string'], status: ['string'], creditLimit: ['number'], actorType: ['string'] },
  },
  'retailer.approved': { aggregate: 'retailer', shape: retailerStatus },
  'retailer.suspended': { aggregate: 'retailer', shape: retailerStatus },
  'vendor.registered': { aggregate: 'vendor', shape: { serviceAreas: ['array'], dailyCapacity: ['number'] } },
  'product.created': { aggregate: 'product', shape: { sku: ['string'] } },
  'product.updated': { aggregate: 'product', shape: { sku: ['string'] } },
  'offer.price_changed': { aggregate: 'vendor_offer', shape: offer },
  'offer.updated': { aggregate: 'vendor_offer', shape: offer },
  'risk.rule_saved': {
    aggregate: 'risk_rule',
    shape: {
      ruleId: ['string'],
      ruleType: ['string'],
      action: ['string'],
      enabled: ['boolean'],
      created: ['boolean'],
      actor: ['object'],
    },
  },
};
