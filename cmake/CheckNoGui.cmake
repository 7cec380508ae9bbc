# Run after linking cairnd: its dynamic dependencies must not include Qt Gui.
execute_process(COMMAND ldd ${BINARY} OUTPUT_VARIABLE deps RESULT_VARIABLE rc)
if(rc EQUAL 0 AND deps MATCHES "libQt6(Gui|Widgets)")
  message(FATAL_ERROR "cairnd links Qt Gui or Widgets; the headless node must not")
endif()
