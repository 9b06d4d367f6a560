// One line naming <location> and what to run, and no stack trace from caulk.
def log = new File(basedir, 'build.log').text
assert log.contains('<caulk><location>: no image given and nothing built in ') : 'no message naming <caulk><location>'
assert log.contains('(run caulk:build first)')
assert !log.contains('at dev.caulk.') : 'a stack trace in the log'
return true
