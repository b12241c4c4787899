// What the app API reads from the event indexer: history and aggregates (the chain holds current
// state, the indexer holds what happened). The types are `@openvpp/indexer`'s own (its `Queries`
// on SQLite and PostgreSQL); `AppQueries` is the part of `Queries` the service calls, so a test
// may still hand in a narrower object of that shape.
import type { LiveEvent, Queries } from '@openvpp/indexer';

export type {
  BillSummary,
  DrEventView,
  EnergyDay,
  HistoryItem,
  LiveEvent,
  OwnerDevice,
  OwnerHome,
  Page,
  ProgramView,
  Statement,
  StatementLine,
  UtilityCustomer,
  UtilityHome,
} from '@openvpp/indexer';

/** The indexer reads the app API needs. */
export type AppQueries = Pick<
  Queries,
  | 'ownerHome'
  | 'ownerDevices'
  | 'ownerEnergy'
  | 'history'
  | 'bills'
  | 'statement'
  | 'utilityHome'
  | 'utilityRevenue'
  | 'utilityCustomers'
  | 'drEvents'
  | 'programs'
>;

export const LIVE_EVENTS = ['reading', 'dr_reward', 'enrollment'] as const;

/** Where live events come from (the indexer is an EventEmitter of them). */
export interface LiveSource {
  on(event: (typeof LIVE_EVENTS)[number], listener: (e: LiveEvent) => void): unknown;
  off(event: (typeof LIVE_EVENTS)[number], listener: (e: LiveEvent) => void): unknown;
}
