# cmake -DIAMPC=... -DDIR=... -P check_errors.cmake
# Runs `iampc simulate errors` in DIR: exit status must be 2 and stderr must
# name every file with the line of the offending value (errors/expected.txt).
execute_process(COMMAND ${IAMPC} simulate errors WORKING_DIRECTORY ${DIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "expected exit status 2, got ${rc}\n${out}${err}")
endif()
file(STRINGS ${DIR}/errors/expected.txt want)
foreach(w ${want})
  string(FIND "${err}" "${w}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "missing diagnostic '${w}' in:\n${err}")
  endif()
endforeach()
