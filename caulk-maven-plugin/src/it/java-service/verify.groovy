// The image caulk:build wrote: an OCI layout under target/caulk/oci tagged "hello", whose manifest's config
// runs java as uid 1000 with the POM's port, env and label, and whose layers hold the dependency jar; the
// extra <to> layout holds the same manifest; the build record, the audit report and the SBOM (which lists
// re2j) are there.
import groovy.json.JsonSlurper

def json = new JsonSlurper()
def caulk = new File(basedir, 'target/caulk')
def layout = new File(caulk, 'oci')
assert new File(layout, 'oci-layout').isFile() : "no OCI layout at $layout"

def blob = { File dir, String digest -> new File(dir, 'blobs/' + digest.replace(':', '/')) }
def index = json.parse(new File(layout, 'index.json'))
def entry = index.manifests.find { it.annotations?.get('org.opencontainers.image.ref.name') == 'hello' }
assert entry != null : "no image tagged hello in ${index.manifests}"
def manifest = json.parse(blob(layout, entry.digest))
def config = json.parse(blob(layout, manifest.config.digest)).config
assert config.User == '1000:1000' : "user ${config.User}"
assert config.ExposedPorts.containsKey('8080/tcp') : "ports ${config.ExposedPorts}"
assert config.Env.contains('GREETING=hello') : "env ${config.Env}"
assert config.Env.contains('TZ=Europe/Ljubljana') : "env ${config.Env}"
assert config.Labels['org.opencontainers.image.vendor'] == 'caulk sample'
def command = (config.Entrypoint ?: []) + (config.Cmd ?: [])
assert command.any { it.endsWith('/java') } : "command $command"
assert command.contains('-XX:+UseSerialGC') : "command $command"
assert command.any { it.contains('example.hello.Main') } : "command $command"
assert manifest.layers.size() >= 3 : "layers ${manifest.layers.size()}"
manifest.layers.each { assert blob(layout, it.digest).isFile() : "missing layer ${it.digest}" }

def extra = json.parse(new File(basedir, 'target/extra-layout/index.json'))
assert extra.manifests.any { it.digest == entry.digest } : "the <to> layout lacks ${entry.digest}"

def record = json.parse(new File(caulk, '.caulk/last-build.json'))
assert record.services.hello == entry.digest
assert record.tag == '1.0.0' && record.prefix == 'registry.example/team/'

assert new File(caulk, 'audit-hello.txt').length() > 0
def sbom = new File(caulk, 'sbom-hello.cyclonedx.json')
assert sbom.text.contains('re2j') : 'the SBOM does not list re2j'

def log = new File(basedir, 'build.log').text
assert log.contains('caulk:build registry.example/team/hello:1.0.0@' + entry.digest)
return true
