import type { Appointment, Slot } from '../../src-shared/domain/appointment.js';
import type { Doctor, Organization, Specialty } from '../../src-shared/domain/directory.js';
import type { Lang } from '../../src-shared/domain/enums.js';
import { translate } from '../../src-shared/i18n/index.js';
import { REFUSALS, type RefusalCode } from '../../src-shared/rules/decision.js';

/**
 * Kezek's domain as FHIR R4 resources (issue 20): the scheduling resources portals read (Organization, Practitioner,
 * PractitionerRole, HealthcareService, Schedule, Slot), the patient's Appointment, and OperationOutcome for a refusal.
 * Pure functions; the tests validate every one with an R4 validator.
 */

export const SYSTEM = {
  specialty: 'urn:kezek:specialty',
  ticket: 'urn:kezek:ticket',
  rule: 'urn:kezek:rule',
  slotChannel: 'urn:kezek:slot-channel',
  holdExpires: 'urn:kezek:hold-expires',
  /** A national ID by its kind: urn:kezek:national-id:KG_PIN, …:KZ_IIN, …:RU_OMS, …:RU_SNILS. */
  nationalId: 'urn:kezek:national-id:',
} as const;

/**
 * FHIR ids take letters, digits, '-' and '.' (64 at most), and ids of a clinic's things are unique only within the
 * clinic: the API's ids are `<organization>.<id>` — a doctor `org-a.doc-001`, its Schedule and PractitionerRole the
 * same, a slot `org-a.doc-001.2026-11-24.0800`. Organization and doctor ids for the API are letters, digits and '-'.
 */
export const scoped = (orgId: string, id: string): string => `${orgId}.${id}`;
export function unscoped(fhirId: string): { orgId: string; id: string } | null {
  const m = /^([A-Za-z0-9-]+)\.([A-Za-z0-9-]+)$/.exec(fhirId);
  return m ? { orgId: m[1]!, id: m[2]! } : null;
}
export const fhirSlotId = (orgId: string, slotId: string): string => `${orgId}.${slotId.replace('@', '.').replace('T', '.').replace(':', '')}`;
export function slotIdFromFhir(id: string): { orgId: string; slotId: string } | null {
  const m = /^([A-Za-z0-9-]+)\.([A-Za-z0-9-]+)\.(\d{4}-\d{2}-\d{2})\.(\d{2})(\d{2})$/.exec(id);
  return m ? { orgId: m[1]!, slotId: `${m[2]}@${m[3]}T${m[4]}:${m[5]}` } : null;
}

const instant = (ms: number) => new Date(ms).toISOString();
const specialtyConcept = (s: Specialty | undefined, id: string, lang: Lang) => ({
  coding: [{ system: SYSTEM.specialty, code: id, display: s ? (lang === 'ky' ? s.name.ky : lang === 'kk' ? (s.name.kk ?? s.name.ru) : s.name.ru) : id }],
});

export function organizationResource(o: Pick<Organization, 'id' | 'name' | 'address' | 'phone'>) {
  return {
    resourceType: 'Organization' as const,
    id: o.id,
    active: true,
    name: o.name,
    ...(o.phone ? { telecom: [{ system: 'phone' as const, value: o.phone }] } : {}),
    ...(o.address ? { address: [{ text: o.address }] } : {}),
  };
}

/** The clinic as a place (SMART Scheduling Links' Location): where the patient goes, with the registry's phone. */
export function locationResource(o: Pick<Organization, 'id' | 'name' | 'address' | 'phone'>) {
  return {
    resourceType: 'Location' as const,
    id: o.id,
    status: 'active' as const,
    name: o.name,
    ...(o.phone ? { telecom: [{ system: 'phone' as const, value: o.phone }] } : {}),
    ...(o.address ? { address: { text: o.address } } : {}),
    managingOrganization: { reference: `Organization/${o.id}` },
  };
}

export function practitionerResource(d: Doctor) {
  return { resourceType: 'Practitioner' as const, id: scoped(d.orgId, d.id), active: d.active, name: [{ text: d.fullName }] };
}

export function practitionerRoleResource(d: Doctor, s: Specialty | undefined, lang: Lang) {
  return {
    resourceType: 'PractitionerRole' as const,
    id: scoped(d.orgId, d.id),
    active: d.active,
    practitioner: { reference: `Practitioner/${scoped(d.orgId, d.id)}`, display: d.fullName },
    organization: { reference: `Organization/${d.orgId}` },
    specialty: [specialtyConcept(s, d.specialtyId, lang)],
  };
}

export function healthcareServiceResource(orgId: string, s: Specialty, lang: Lang) {
  const concept = specialtyConcept(s, s.id, lang);
  return {
    resourceType: 'HealthcareService' as const,
    id: scoped(orgId, s.id),
    active: true,
    providedBy: { reference: `Organization/${orgId}` },
    type: [concept],
    specialty: [concept],
    name: concept.coding[0]!.display,
  };
}

export function scheduleResource(d: Doctor, s: Specialty | undefined, lang: Lang, horizon: { start: string; end: string }) {
  return {
    resourceType: 'Schedule' as const,
    id: scoped(d.orgId, d.id),
    active: d.active,
    actor: [{ reference: `Practitioner/${scoped(d.orgId, d.id)}`, display: d.fullName }, { reference: `Location/${d.orgId}` }],
    serviceType: [specialtyConcept(s, d.specialtyId, lang)],
    planningHorizon: horizon,
  };
}

export function slotResource(orgId: string, slot: Slot, s: Specialty | undefined, lang: Lang, status: 'free' | 'busy' = 'free', bookAt?: string) {
  return {
    resourceType: 'Slot' as const,
    // SMART Scheduling Links: where a patient books this time (the patient page), for aggregators' links.
    ...(bookAt ? { extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/booking-deep-link', valueUrl: bookAt }] } : {}),
    id: fhirSlotId(orgId, slot.id),
    schedule: { reference: `Schedule/${scoped(orgId, slot.doctorId)}` },
    status,
    start: instant(slot.startUtc),
    end: instant(slot.endUtc),
    serviceType: [specialtyConcept(s, slot.specialtyId, lang)],
    // Whose share of the schedule the time is (R7's internet share, the registry's…).
    serviceCategory: [{ coding: [{ system: SYSTEM.slotChannel, code: slot.channel }] }],
  };
}

const patientActor = (kind: string, nationalId: string) => ({ identifier: { system: `${SYSTEM.nationalId}${kind}`, value: nationalId } });

/** A proposed time ($find) or a held one ($hold): not a booking yet. */
export function proposedAppointment(
  orgId: string,
  slot: Slot,
  doctor: Doctor | undefined,
  s: Specialty | undefined,
  lang: Lang,
  hold?: { id: string; expiresAt: number; patient: { kind: string; nationalId: string } },
) {
  return {
    resourceType: 'Appointment' as const,
    ...(hold ? { id: hold.id } : {}),
    status: hold ? ('pending' as const) : ('proposed' as const),
    ...(hold ? { extension: [{ url: SYSTEM.holdExpires, valueInstant: instant(hold.expiresAt) }] } : {}),
    serviceType: [specialtyConcept(s, slot.specialtyId, lang)],
    start: instant(slot.startUtc),
    end: instant(slot.endUtc),
    slot: [{ reference: `Slot/${fhirSlotId(orgId, slot.id)}` }],
    participant: [
      { actor: { reference: `Practitioner/${scoped(orgId, slot.doctorId)}`, display: doctor?.fullName ?? slot.doctorId }, status: 'accepted' as const },
      ...(hold ? [{ actor: patientActor(hold.patient.kind, hold.patient.nationalId), status: 'accepted' as const }] : []),
    ],
  };
}

/** A booking as the server holds it, at its version (`seq`, also its ETag). */
export function appointmentResource(a: Appointment, seq: number, endUtc: number, doctor: Doctor | undefined, s: Specialty | undefined, lang: Lang, patient: { kind: string; nationalId: string }) {
  return {
    resourceType: 'Appointment' as const,
    id: a.id,
    meta: { versionId: String(seq) },
    identifier: [{ system: SYSTEM.ticket, value: a.ticketCode }],
    status: a.status,
    serviceType: [specialtyConcept(s, a.specialtyId, lang)],
    start: instant(a.startUtc),
    end: instant(endUtc),
    created: instant(a.createdAt),
    slot: [{ reference: `Slot/${fhirSlotId(a.orgId, a.slotId)}` }],
    // The ticket's queue number (R14), for the patient's printout.
    priority: a.queueNumber,
    participant: [
      { actor: { reference: `Practitioner/${scoped(a.orgId, a.doctorId)}`, display: doctor?.fullName ?? a.doctorId }, status: 'accepted' as const },
      { actor: patientActor(patient.kind, patient.nationalId), status: 'accepted' as const },
    ],
  };
}

export type FhirLang = Lang | 'en';

/** The API's own answers in English (the rules' refusals say theirs in REFUSALS). */
const API_EN: Record<string, string> = {
  hold_expired: 'the hold expired: find and hold the time again',
  unknown_slot: 'no such time in this schedule',
  unknown_appointment: 'no such booking of this patient',
  unknown_patient: 'no patient with this identifier in the organizations this client reaches',
  not_yours: 'this hold belongs to another patient or client',
  stale: 'the booking changed since it was read (If-Match)',
  bad_request: 'the request does not match the operation’s parameters',
  unauthenticated: 'a valid API key is required (Authorization: Bearer …)',
  forbidden: 'this client may not reach that organization',
  too_many_requests: 'too many requests: wait and try again',
  not_found: 'no such resource',
};

/** The text of a refusal in the asked language: ru, ky and kk from the desk's translations, en from the rule's own statement. */
export function refusalText(code: string, lang: FhirLang, params: Record<string, string | number> = {}): string {
  if (lang === 'en') return code in REFUSALS ? REFUSALS[code as RefusalCode].rule : (API_EN[code] ?? code.replaceAll('_', ' '));
  const t = translate(lang, `errors.${code}`, params);
  return t.startsWith('errors.') ? translate(lang, `apiErrors.${code}`, params) : t;
}

/**
 * A refusal: the rule's code (and with its seed clause in the diagnostics), the text in the asked language, and the
 * alternatives the patient could take instead, each a Slot reference.
 */
export function operationOutcome(
  code: string,
  lang: FhirLang,
  opts: { params?: Record<string, string | number>; severity?: 'error' | 'fatal'; issueCode?: string; alternatives?: { orgId: string; slots: Slot[] } } = {},
) {
  const rule = code in REFUSALS ? REFUSALS[code as RefusalCode].rule : undefined;
  return {
    resourceType: 'OperationOutcome' as const,
    issue: [
      {
        severity: opts.severity ?? ('error' as const),
        code: opts.issueCode ?? 'business-rule',
        details: { coding: [{ system: SYSTEM.rule, code }], text: refusalText(code, lang, opts.params) },
        ...(rule ? { diagnostics: rule } : {}),
      },
      // What the patient could take instead (R4, R8: the offer comes with the refusal).
      ...(opts.alternatives?.slots ?? []).map((slot) => ({
        severity: 'information' as const,
        code: 'informational' as const,
        details: { coding: [{ system: SYSTEM.rule, code: 'alternative' }], text: `${instant(slot.startUtc)} Slot/${fhirSlotId(opts.alternatives!.orgId, slot.id)}` },
        expression: [`Slot/${fhirSlotId(opts.alternatives!.orgId, slot.id)}`],
      })),
    ],
  };
}

export function searchBundle(resources: readonly object[], selfUrl: string) {
  return {
    resourceType: 'Bundle' as const,
    type: 'searchset' as const,
    total: resources.length,
    link: [{ relation: 'self', url: selfUrl }],
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' as const } })),
  };
}

/** What this server offers: the scheduling resources read-only, and the IHE operations on Appointment. */
export function capabilityStatement(baseUrl: string, now: number) {
  const read = (type: string, params: string[] = []) => ({
    type,
    interaction: [{ code: 'read' as const }, { code: 'search-type' as const }],
    searchParam: params.map((name) => ({ name, type: name === 'start' ? ('date' as const) : name.endsWith('identifier') ? ('token' as const) : ('reference' as const) })),
  });
  return {
    resourceType: 'CapabilityStatement' as const,
    status: 'active' as const,
    date: instant(now),
    kind: 'instance' as const,
    software: { name: 'Kezek sync server' },
    implementation: { description: 'Kezek booking API (FHIR R4 Scheduling)', url: baseUrl },
    fhirVersion: '4.0.1' as const,
    format: ['json'],
    rest: [
      {
        mode: 'server' as const,
        resource: [
          read('Organization'),
          read('Location'),
          read('Practitioner', ['organization']),
          read('PractitionerRole', ['organization']),
          read('HealthcareService', ['organization']),
          read('Schedule', ['actor']),
          read('Slot', ['schedule', 'start']),
          {
            type: 'Appointment',
            interaction: [{ code: 'read' as const }, { code: 'search-type' as const }],
            searchParam: [{ name: 'patient:identifier', type: 'token' as const }],
            operation: [
              { name: 'find', definition: 'http://hl7.org/fhir/uv/ihe-scheduling/OperationDefinition/appointment-find' },
              { name: 'hold', definition: 'http://hl7.org/fhir/uv/ihe-scheduling/OperationDefinition/appointment-hold' },
              { name: 'book', definition: 'http://hl7.org/fhir/uv/ihe-scheduling/OperationDefinition/appointment-book' },
              { name: 'cancel', definition: 'urn:kezek:operation:appointment-cancel' },
            ],
          },
        ],
        // SMART Scheduling Links: Location, Schedule and Slot as NDJSON files for aggregators.
        operation: [{ name: 'bulk-publish', definition: 'http://fhir-registry.smarthealthit.org/OperationDefinition/bulk-publish' }],
      },
    ],
  };
}
