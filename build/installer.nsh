; Kezek's per-user install (electron-builder includes this in the NSIS installer; electron-builder.yml says why per user).
; The desk keeps one data folder for the PC, %ProgramData%\Kezek\desk, shared by every Windows
; account of the PC: the PC's users (S-1-5-32-545) may write in it, whoever installed Kezek.
!macro customInstall
  CreateDirectory "$COMMONAPPDATA\Kezek\desk"
  nsExec::Exec 'icacls "$COMMONAPPDATA\Kezek" /grant *S-1-5-32-545:(OI)(CI)M /T'
!macroend
