# cmake -DIAMPC=... -DDIR=... -P check_golden.cmake
# For each golden/NAME.json: `simulate --explain` must print golden/NAME.txt
# and `simulate --explain --format json` golden/NAME.jsonl (run from DIR so
# paths are relative). IAMPC_UPDATE_GOLDEN=1 rewrites the expected files.
file(GLOB cases RELATIVE ${DIR} ${DIR}/golden/*.json)
foreach(c ${cases})
  string(REGEX REPLACE "\\.json$" "" base ${c})
  foreach(mode txt jsonl)
    if(mode STREQUAL "txt")
      set(args simulate --explain ${c})
    else()
      set(args simulate --explain --format json ${c})
    endif()
    execute_process(COMMAND ${IAMPC} ${args} WORKING_DIRECTORY ${DIR}
      OUTPUT_VARIABLE out ERROR_QUIET RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${c}: exit status ${rc}")
    endif()
    if("$ENV{IAMPC_UPDATE_GOLDEN}" STREQUAL "1")
      file(WRITE ${DIR}/${base}.${mode} "${out}")
    else()
      file(READ ${DIR}/${base}.${mode} want)
      if(NOT out STREQUAL want)
        message(FATAL_ERROR "${c} (${mode}) differs:\n--- expected\n${want}--- got\n${out}")
      endif()
    endif()
  endforeach()
endforeach()
