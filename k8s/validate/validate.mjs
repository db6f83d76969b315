// Offline, strict validation of todo-service's Kubernetes manifests (run by .ci/k8s-checks.sh):
//
//   node validate.mjs K8S_DIR
//
// Renders every overlay under K8S_DIR/overlays with `kubectl kustomize`, reads the kube-play overlay's fixtures (played
// as they are) too, and checks each object against its schema:
//   - Kubernetes kinds: the kubernetes-models 5.x validators (types, enums, formats, required fields);
//   - Gateway API kinds: @kubernetes-models/gateway-api;
//   - CloudNativePG Cluster and ScheduledBackup, the Barman Cloud plugin's ObjectStore and the Prometheus Operator's
//     ServiceMonitor: the openAPIV3Schema of their CustomResourceDefinitions in ./crds (ajv), metadata as ObjectMeta.
// Schemas alone accept unknown fields (a misspelt `readinesProbe:` is silently dropped by the API server), so an
// unknown-field walk runs too: over the CRD schema for custom resources, and, for the models, over the fields their
// validators actually look at (see trackReads). Pod templates of deployable overlays must also meet the Pod Security
// "restricted" profile the namespace enforces, with a read-only root and no service account token. CEL rules
// (x-kubernetes-validations) and admission webhooks need a cluster and are not checked.
// Prints one line per file or overlay; exits 1 when anything is wrong.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parseAllDocuments, parse } from "yaml";
import { ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

const here = fileURLToPath(new URL(".", import.meta.url));
const k8sDir = process.argv[2] ?? join(here, "..");
// The kube-play overlay is a test harness for Podman, never applied to a cluster: schema-valid, but it uses a
// hostPath (Podman cannot project Secrets), which the restricted profile forbids.
const notDeployable = new Set(["kube-play"]);

// ---------------------------------------------------------------------------------------------------------------
// Custom resources: ajv over the CRDs' OpenAPI schemas

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
addFormats(ajv, ["date-time"]);
ajv.addFormat("int32", { type: "number", validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat("int64", { type: "number", validate: (n) => Number.isInteger(n) });
// Structural-schema extensions: markers for the API server, no constraint ajv could check offline.
ajv.addVocabulary([
  "x-kubernetes-int-or-string",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-list-type",
  "x-kubernetes-map-type",
  "x-kubernetes-validations",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-embedded-resource",
]);

const crds = new Map(); // "group/version Kind" -> { schema, validate }
const crdDir = join(here, "crds");
for (const file of readdirSync(crdDir).filter((f) => f.endsWith(".yaml"))) {
  const crd = parse(readFileSync(join(crdDir, file), "utf8"));
  for (const version of crd.spec.versions.filter((v) => v.served)) {
    const schema = version.schema.openAPIV3Schema;
    crds.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, { schema, validate: ajv.compile(schema) });
  }
}

// Fields the schema does not declare, below PATH. Follows properties, additionalProperties and items, as the API
// server's pruning does; x-kubernetes-preserve-unknown-fields keeps anything.
function unknownBySchema(schema, value, path, found) {
  if (!schema || value === null || typeof value !== "object" || schema["x-kubernetes-preserve-unknown-fields"]) {
    return found;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => unknownBySchema(schema.items, item, `${path}/${i}`, found));
    return found;
  }
  for (const [key, child] of Object.entries(value)) {
    const declared = schema.properties?.[key];
    if (declared) {
      unknownBySchema(declared, child, `${path}/${key}`, found);
    } else if (typeof schema.additionalProperties === "object") {
      unknownBySchema(schema.additionalProperties, child, `${path}/${key}`, found);
    } else if (schema.additionalProperties !== true) {
      found.push(`${path}/${key}`);
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes and Gateway API kinds: kubernetes-models

// The models' validators are compiled ajv code that reads each declared property of an object (`data.exec`, ...) and
// every entry of a map. Run one over a proxy that records those reads: a field it never read is one the schema does
// not know. Free-form objects would show up too; no kind validated here has any.
function trackReads(root) {
  const reads = new WeakMap();
  const proxies = new WeakMap();
  const wrap = (value) => {
    if (value === null || typeof value !== "object") return value;
    if (!proxies.has(value)) {
      reads.set(value, new Set());
      proxies.set(value, new Proxy(value, {
        get(target, key, receiver) {
          if (typeof key === "string") reads.get(target).add(key);
          return wrap(Reflect.get(target, key, receiver));
        },
      }));
    }
    return proxies.get(value);
  };
  const unread = (value, path, found) => {
    if (value === null || typeof value !== "object") return found;
    for (const [key, child] of Object.entries(value)) {
      if (!Array.isArray(value) && !reads.get(value)?.has(key)) found.push(`${path}/${key}`);
      else unread(child, `${path}/${key}`, found);
    }
    return found;
  };
  return { proxy: wrap(root), unknown: () => unread(root, "", []) };
}

async function modelFor(apiVersion, kind) {
  const gateway = apiVersion.startsWith("gateway.networking.k8s.io/");
  const module = gateway ? `@kubernetes-models/gateway-api/${apiVersion}` : `kubernetes-models/${apiVersion}`;
  try {
    return (await import(module))[kind];
  } catch {
    return undefined;
  }
}

function validateWithModel(Model, data) {
  const { proxy, unknown } = trackReads(data);
  const problems = [];
  try {
    Model.prototype.validate.call(proxy);
  } catch (e) {
    problems.push(...e.message.split(", ").map((m) => m.replace(/^data/, "")));
  }
  // After a type error the validator may stop looking below it: report unknown fields only for otherwise valid
  // objects, so every message is true.
  if (problems.length === 0) problems.push(...unknown().map((p) => `${p}: unknown field`));
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Pod Security "restricted" (https://kubernetes.io/docs/concepts/security/pod-security-standards/), the parts a
// manifest decides, and two rules of this project on top: a read-only root filesystem and no service account token.

function securityViolations(pod) {
  const problems = [];
  const podContext = pod.securityContext ?? {};
  if (pod.automountServiceAccountToken !== false) problems.push("automountServiceAccountToken must be false");
  for (const volume of pod.volumes ?? []) {
    const allowed = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected",
      "secret"];
    const type = Object.keys(volume).find((k) => k !== "name");
    if (!allowed.includes(type)) problems.push(`volume ${volume.name}: ${type} is not allowed`);
  }
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push("host namespaces are not allowed");
  for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const c = container.securityContext ?? {};
    const where = `container ${container.name}`;
    if (c.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
    if ((c.runAsNonRoot ?? podContext.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot must be true`);
    if ((c.runAsUser ?? podContext.runAsUser) === 0) problems.push(`${where}: runAsUser must not be 0`);
    if (!(c.capabilities?.drop ?? []).includes("ALL")) problems.push(`${where}: capabilities must drop ALL`);
    if ((c.capabilities?.add ?? []).some((cap) => cap !== "NET_BIND_SERVICE")) {
      problems.push(`${where}: only NET_BIND_SERVICE may be added`);
    }
    const seccomp = (c.seccompProfile ?? podContext.seccompProfile)?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
      problems.push(`${where}: seccompProfile must be RuntimeDefault or Localhost`);
    }
    if (c.privileged) problems.push(`${where}: privileged is not allowed`);
    if (c.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
    if ((container.ports ?? []).some((p) => p.hostPort)) problems.push(`${where}: hostPort is not allowed`);
  }
  return problems;
}

function podSpecOf(object) {
  if (object.kind === "Pod") return object.spec;
  return object.spec?.template?.spec ?? object.spec?.jobTemplate?.spec?.template?.spec;
}

// ---------------------------------------------------------------------------------------------------------------

async function validateObject(object, deployable) {
  if (object === null || typeof object !== "object" || !object.apiVersion || !object.kind) {
    return ["not a Kubernetes object (apiVersion and kind missing)"];
  }
  const problems = [];
  const crd = crds.get(`${object.apiVersion} ${object.kind}`);
  if (crd) {
    if (!crd.validate(object)) {
      problems.push(...crd.validate.errors.map((e) => `${e.instancePath}: ${e.message}` +
        (e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : "")));
    }
    const { metadata, ...rest } = object;
    problems.push(...unknownBySchema({ ...crd.schema, properties: { ...crd.schema.properties, metadata: true } }, rest,
      "", []).map((p) => `${p}: unknown field`));
    problems.push(...validateWithModel(ObjectMeta, metadata ?? {}).map((p) => `/metadata${p}`));
  } else {
    const Model = await modelFor(object.apiVersion, object.kind);
    if (!Model) return [`no schema for ${object.apiVersion} ${object.kind}: add its CRD to k8s/validate/crds`];
    problems.push(...validateWithModel(Model, object));
  }
  const pod = podSpecOf(object);
  if (deployable && pod) problems.push(...securityViolations(pod).map((p) => `security: ${p}`));
  return problems;
}

async function validateDocuments(label, text, deployable) {
  let failures = 0;
  let count = 0;
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      console.log(`FAIL ${label}: YAML: ${document.errors[0].message}`);
      failures++;
      continue;
    }
    const object = document.toJS();
    if (object === null) continue;
    count++;
    for (const problem of await validateObject(object, deployable)) {
      console.log(`FAIL ${label}: ${object.kind}/${object.metadata?.name}: ${problem}`);
      failures++;
    }
  }
  if (failures === 0) console.log(`ok: ${label}: ${count} objects valid`);
  return failures === 0;
}

let valid = true;
const overlays = readdirSync(join(k8sDir, "overlays"), { withFileTypes: true }).filter((e) => e.isDirectory());
for (const overlay of overlays) {
  const dir = join(k8sDir, "overlays", overlay.name);
  let rendered;
  try {
    rendered = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    console.log(`FAIL overlays/${overlay.name}: kubectl kustomize: ${e.stderr?.trim() ?? e.message}`);
    valid = false;
    continue;
  }
  valid = (await validateDocuments(`overlays/${overlay.name}`, rendered, !notDeployable.has(overlay.name))) && valid;
}
// The PostgreSQL pod the kube-play test plays before the overlay, outside any kustomization.
const playDir = join(k8sDir, "overlays", "kube-play");
for (const file of readdirSync(playDir).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")) {
  valid = (await validateDocuments(relative(k8sDir, join(playDir, file)), readFileSync(join(playDir, file), "utf8"),
    false)) && valid;
}
if (!existsSync(join(k8sDir, "overlays", "production"))) {
  console.log("FAIL: no overlays/production");
  valid = false;
}
process.exit(valid ? 0 : 1);
