// Validates FHIR R4 resources with the npm package `fhir` (structure and required bindings).
// Reads a JSON array of resources from the file named on the command line; prints each error
// and exits 1 when any resource is invalid, 0 when all are valid.
const fs = require("fs");
const { Fhir } = require("fhir");

const fhir = new Fhir();
const resources = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let bad = 0;
for (const r of resources) {
  const result = fhir.validate(r);
  const errors = result.messages.filter((m) => m.severity === "error");
  if (!result.valid || errors.length > 0) {
    bad += 1;
    console.log(`${r.resourceType}/${r.id}: ${JSON.stringify(errors)}`);
  }
}
console.log(`${resources.length - bad} of ${resources.length} resources valid`);
process.exit(bad === 0 ? 0 : 1);
