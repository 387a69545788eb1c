; Bosun additions to electron-builder's NSIS installer (per machine, elevated).
; - docker-credential-bosun and the `bosun` command on the machine PATH ($INSTDIR\resources\bin holds both);
; - start at login for every user (HKLM Run key);
; - the install-time option --allowed-org=ORG[;ORG…] (as Docker Desktop's installer takes), which
;   writes C:\ProgramData\DockerDesktop\registry.json. The MSI passes ALLOWEDORG through as this option.
; The PowerShell half is build/windows/install-helpers.ps1, shipped in resources\windows.

!include FileFunc.nsh

!macro bosunPowerShell ARGS
  nsExec::ExecToLog '"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "$INSTDIR\resources\windows\install-helpers.ps1" ${ARGS}'
  Pop $0
!macroend

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "--allowed-org=" $R1
  ${If} ${Errors}
    StrCpy $R1 ""
  ${EndIf}
  !insertmacro bosunPowerShell '-Action Install -BinDir "$INSTDIR\resources\bin" -AllowedOrgs "$R1"'
  ${If} $0 != 0
    ; A bad --allowed-org must not leave a machine looking managed when it is not.
    MessageBox MB_OK|MB_ICONSTOP "Bosun could not finish the installation (allowed organizations or PATH, exit code $0). See the installer log." /SD IDOK
    SetErrorLevel 2
    Abort
  ${EndIf}
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "Bosun" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" --hidden'
!macroend

!macro customUnInstall
  !insertmacro bosunPowerShell '-Action Uninstall -BinDir "$INSTDIR\resources\bin"'
  DeleteRegValue HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "Bosun"
!macroend
