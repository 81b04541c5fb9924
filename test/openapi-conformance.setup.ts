import { takeMismatches } from './openapi-conformance';

// Every e2e test fails when one of its answers does not match the OpenAPI document its app serves.
afterEach(() => {
  const found = takeMismatches();
  if (found.length > 0) throw new Error(`answers that do not match /openapi.json:\n${found.join('\n')}`);
});
