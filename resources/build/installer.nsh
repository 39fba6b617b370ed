; Included by electron-builder's NSIS installer (electron-builder.yml nsis.include). electron-builder registers the
; `protocols` of its configuration on macOS (Info.plist) and Linux (the desktop entry) but not in NSIS
; (electron-userland/electron-builder#8145), so the sign-in scheme is written here, for the current user: a
; per-user install has no administrator rights, and SHELL_CONTEXT is HKCU then. The app registers the same key
; again at start (app.setAsDefaultProtocolClient), which repairs it if something removed it.

!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\io.github.trayforsonos" "" "URL:Tray for Sonos sign-in"
  WriteRegStr SHELL_CONTEXT "Software\Classes\io.github.trayforsonos" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\io.github.trayforsonos\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\io.github.trayforsonos\shell\open\command" "" '"$appExe" "%1"'
!macroend

!macro customUnInstall
  ; An update runs the old uninstaller first; the new installer writes the key again right after.
  DeleteRegKey SHELL_CONTEXT "Software\Classes\io.github.trayforsonos"
!macroend
