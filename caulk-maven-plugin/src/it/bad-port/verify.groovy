// One line naming the element and the value, and no stack trace from caulk.
def log = new File(basedir, 'build.log').text
assert log.contains("<caulk><ports>: 'http' is not a port") : 'no message naming <caulk><ports>'
assert !log.contains('at dev.caulk.') : 'a stack trace in the log'
assert !new File(basedir, 'target/caulk/oci').exists() : 'something was built'
return true
