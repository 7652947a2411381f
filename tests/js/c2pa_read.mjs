// A second, independent reader of Content Credentials for the tests: c2pa-node (the
// Content Authenticity Initiative's Node binding), offline, trusting only CA_PEM if given.
// usage: node c2pa_read.mjs FILE MEDIA_TYPE [CA_PEM]; prints the manifest store as JSON.
import { readFileSync } from "node:fs";
import { Reader } from "@contentauth/c2pa-node";

const [file, mimeType, caFile] = process.argv.slice(2);
const settings = {
  verify: {
    remote_manifest_fetch: false,
    ocsp_fetch: false,
    verify_after_reading: true,
    verify_trust: true,
  },
  core: { allowed_network_hosts: [] },
  ...(caFile ? { trust: { user_anchors: readFileSync(caFile, "utf8") } } : {}),
};
const reader = await Reader.fromAsset({ buffer: readFileSync(file), mimeType }, settings);
process.stdout.write(JSON.stringify(reader ? reader.json() : null));
