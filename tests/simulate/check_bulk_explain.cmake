# cmake -DIAMPC=... -DDIR=... -DWORK=... -P check_bulk_explain.cmake
# Bulk mode with --explain (docs/simulate.md "Bulk"): every JSON line carries
# the trace of `--format json --explain` (scenario-format 7), evaluated on 4
# threads and printed in input order. Checks a few fields by hand, then that
# each line's trace equals the one scenario mode gives for the same request
# (the bulk scenario plus that request, written to WORK).
cmake_minimum_required(VERSION 3.20)
set(req ${DIR}/bulk/requests.jsonl)
set(pol ${DIR}/bulk/policies.json)

function(run out)
  execute_process(COMMAND ${IAMPC} ${ARGN} OUTPUT_VARIABLE o ERROR_VARIABLE e RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "iampc ${ARGN}: exit status ${rc}\n${e}")
  endif()
  set(${out} "${o}" PARENT_SCOPE)
endfunction()

# want(JSON VALUE MEMBER...): the member path holds VALUE.
function(want json value)
  string(JSON got ERROR_VARIABLE err GET "${json}" ${ARGN})
  if(err OR NOT got STREQUAL value)
    message(FATAL_ERROR "${ARGN}: want '${value}', got '${got}' ${err}\nin ${json}")
  endif()
endfunction()

# want_len(JSON N MEMBER...): the array at the member path has N elements.
function(want_len json value)
  string(JSON got ERROR_VARIABLE err LENGTH "${json}" ${ARGN})
  if(err OR NOT got EQUAL value)
    message(FATAL_ERROR "${ARGN}: want ${value} elements, got '${got}' ${err}\nin ${json}")
  endif()
endfunction()

run(out simulate --jobs 4 --explain --format json --requests ${req} ${pol})
string(REGEX REPLACE "\n$" "" out "${out}")
string(REPLACE "\n" ";" lines "${out}")
set(n 0)
foreach(l IN LISTS lines)
  math(EXPR n "${n} + 1")
  string(JSON no GET "${l}" line)
  set(by_line_${no} "${l}")
  list(APPEND order ${no})
endforeach()
# Line 3 is blank: skipped, numbering kept, input order.
if(NOT order STREQUAL "1;2;4;5;6;7;8")
  message(FATAL_ERROR "line order: ${order}")
endif()

# 1: identity path through two SCP levels and the boundary.
set(l "${by_line_1}")
want("${l}" allow decision)
want("${l}" ON match)
want("${l}" identity trace path)
want("${l}" assumed-role trace caller)
want("${l}" ON trace sameAccount)
want_len("${l}" 0 trace denies)
want("${l}" "identityPolicies[0]" trace grants 0 policy)
want_len("${l}" 3 trace gates)
want("${l}" "scps[1]" trace gates 1 gate)
want("${l}" ON trace gates 1 passed)
want("${l}" "scps[1][0]" trace gates 1 by 0 policy)
want("${l}" permissionBoundary trace gates 2 gate)
want_len("${l}" 8 trace statements)
# the region guard's Deny fails on its condition, with key and value
want("${l}" condition trace statements 2 result)
want("${l}" StringNotEquals trace statements 2 operator)
want("${l}" aws:RequestedRegion trace statements 2 key)
want("${l}" us-east-1 trace statements 2 value)
# 2: the ${aws:PrincipalTag/team} resource does not match: no path.
want("${by_line_2}" implicit-deny decision)
want("${by_line_2}" none trace path)
want("${by_line_2}" resource trace statements 4 result)
# 4: the bucket policy names the session: resource path, direct grant.
want("${by_line_4}" resource trace path)
want("${by_line_4}" direct trace grants 0 grant)
want("${by_line_4}" resourcePolicy trace grants 0 policy)
# 5 and 6: explicit denies, identity policy and SCP.
want("${by_line_5}" explicit-deny decision)
want("${by_line_5}" "identityPolicies[0]" trace denies 0 policy)
want("${by_line_5}" 2 trace denies 0 statement)
want("${by_line_6}" "scps[1][0]" trace denies 0 policy)
want("${by_line_6}" Deny trace denies 0 effect)
# 8: a bare request without expect: no match member, still a trace.
string(JSON m ERROR_VARIABLE err GET "${by_line_8}" match)
if(NOT err)
  message(FATAL_ERROR "line 8 has no expect but says match: ${by_line_8}")
endif()
want("${by_line_8}" none trace path)

# Each trace equals scenario mode's for the same request.
file(READ ${pol} policies)
file(STRINGS ${req} reqs)
file(MAKE_DIRECTORY ${WORK})
set(no 0)
foreach(r IN LISTS reqs)
  math(EXPR no "${no} + 1")
  if(r STREQUAL "")
    continue() # the blank line 3
  endif()
  string(JSON rq ERROR_VARIABLE err GET "${r}" request)
  if(err)
    set(rq "${r}")
  endif()
  string(JSON s SET "${policies}" request "${rq}")
  file(WRITE ${WORK}/line${no}.json "${s}")
  run(one simulate --explain --format json ${WORK}/line${no}.json)
  string(JSON want_trace GET "${one}" trace)
  string(JSON got_trace GET "${by_line_${no}}" trace)
  if(NOT want_trace STREQUAL got_trace)
    message(FATAL_ERROR "line ${no}: bulk trace differs from scenario mode:\n${got_trace}\n--- scenario mode\n${want_trace}")
  endif()
endforeach()
if(NOT no EQUAL 8)
  message(FATAL_ERROR "compared ${no} lines")
endif()

# Without --explain the lines stay lean; text --explain prints the trace
# lines under each decision line.
run(out simulate --jobs 4 --format json --requests ${req} ${pol})
if(out MATCHES "trace")
  message(FATAL_ERROR "trace without --explain:\n${out}")
endif()
run(out simulate --jobs 4 --explain --requests ${req} ${pol})
string(FIND "${out}" "1: allow\n  caller assumed-role, same account, path identity\n" at)
string(FIND "${out}" "  skip  scps[1][0] statement 1: condition does not match (StringNotEquals aws:RequestedRegion: request value 'us-east-1')\n" at2)
string(FIND "${out}" "4: allow\n  caller assumed-role, same account, path resource\n" at3)
if(at LESS 0 OR at2 LESS at OR at3 LESS at2)
  message(FATAL_ERROR "text --explain:\n${out}")
endif()
