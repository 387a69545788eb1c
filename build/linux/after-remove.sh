#!/bin/bash
# Bosun deb postrm: removes what after-install.sh added. registry.json is the admin's policy and
# stays; remove it with the MDM tool that owns it.
rm -f '/usr/bin/${executable}' /usr/bin/docker-credential-bosun /usr/bin/bosun /etc/xdg/autostart/bosun.desktop
exit 0
